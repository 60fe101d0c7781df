import type { SyncMetaName } from './sync-meta.repository';

/**
 * When the ship last exchanged something with the master successfully: the latest of a send the
 * broker confirmed, a master update applied and an outcome applied. Null before the first.
 */
export function lastSyncAt(meta: Partial<Record<SyncMetaName, string>>): string | null {
  const times = [meta.last_push_at, meta.last_pull_at, meta.last_outcome_at].filter(
    (value): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value)),
  );
  if (times.length === 0) return null;
  return times.reduce((latest, value) => (Date.parse(value) > Date.parse(latest) ? value : latest));
}
