import type { QueryRunner } from 'typeorm';

/**
 * Deletes up to `batch` recorded outcomes older than `cutoff`, except those of a conflict still
 * open or resolved after it, and raises each ship's `outcomes_purged_through` to the highest seq
 * deleted, on `runner` in its transaction. Returns how many went.
 */
export async function purgeRecordedOutcomes(
  runner: QueryRunner,
  cutoff: string,
  batch: number,
): Promise<number> {
  const candidates = (await runner.query(
    `SELECT o.ship_id, o.change_id, o.seq FROM change_outcomes o
      WHERE o.recorded_at < $1::timestamptz
        AND (o.conflict_id IS NULL OR NOT EXISTS (
              SELECT 1 FROM conflicts c
               WHERE c.id = o.conflict_id
                 AND (c.status = 'open' OR c.resolved_at >= $1::timestamptz)))
      ORDER BY o.recorded_at LIMIT $2`,
    [cutoff, batch],
  )) as Array<{ ship_id: string; change_id: string; seq: string }>;
  if (candidates.length === 0) return 0;
  const through = new Map<string, number>();
  for (const row of candidates) {
    through.set(row.ship_id, Math.max(through.get(row.ship_id) ?? 0, Number(row.seq)));
  }
  // The ships' sequence rows first, in ship order, as ingest locks them: the two never wait on
  // each other the other way round.
  await runner.query(
    `INSERT INTO ship_sequences (ship_id, outcomes_purged_through)
     SELECT x.ship_id, x.through FROM unnest($1::text[], $2::bigint[]) AS x(ship_id, through)
      ORDER BY x.ship_id
     ON CONFLICT (ship_id) DO UPDATE
       SET outcomes_purged_through =
             GREATEST(ship_sequences.outcomes_purged_through, EXCLUDED.outcomes_purged_through)`,
    [[...through.keys()], [...through.values()]],
  );
  await runner.query(
    `DELETE FROM change_outcomes o USING unnest($1::text[], $2::uuid[]) AS x(ship_id, change_id)
      WHERE o.ship_id = x.ship_id AND o.change_id = x.change_id`,
    [candidates.map((row) => row.ship_id), candidates.map((row) => row.change_id)],
  );
  return candidates.length;
}
