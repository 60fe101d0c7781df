import { jsonEqual, type LocalOnlyFields, type MasterUpdateDto } from '@offline-sync/sync-core';
import type { StoredDocument } from '../documents/documents.table';

/**
 * The local row is already exactly the master's copy `update` would write (but for timestamps,
 * and the local-only fields the master never has).
 */
export function alreadyHolds(
  local: StoredDocument,
  update: MasterUpdateDto,
  localOnly: LocalOnlyFields,
): boolean {
  return (
    local.version === update.version &&
    local.deleted === update.deleted &&
    local.syncState === 'synced' &&
    local.conflictId === null &&
    local.reason === null &&
    local.heldVersion === null &&
    jsonEqual(
      localOnly.strip(update.type, JSON.parse(local.data) as Record<string, unknown>),
      localOnly.strip(update.type, update.data),
    )
  );
}
