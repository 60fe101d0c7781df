/**
 * SQL shared by the ships API and the registry metrics. Both run over the whole fleet, so they
 * stay in the database: one statement whatever the number of ships, one page or a few rows back.
 */

/**
 * master-updates messages the ship (`s`, a row of ships) has not applied: Σ over the partitions
 * of `watermarksParam` (jsonb partition → high watermark) of what lies past the ship's applied
 * position; what lagOf computes for one ship.
 */
export function updatesBehindSql(watermarksParam: string): string {
  return `COALESCE((SELECT sum(GREATEST(0, w.value::numeric - COALESCE((s.applied_position ->> w.key)::numeric, 0)))
             FROM jsonb_each_text(${watermarksParam}::jsonb) AS w(key, value)), 0)::float8`;
}

/** Seconds since the master last heard from the ship (`s`), by a heartbeat or a change (`q`). */
export const SILENT_SECONDS_SQL = `GREATEST(0, extract(epoch FROM now() - GREATEST(s.last_seen_at, q.updated_at)))::float8`;
