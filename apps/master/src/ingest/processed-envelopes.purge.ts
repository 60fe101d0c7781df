import type { QueryRunner } from 'typeorm';
import { deletedCount } from '../core/database/deleted-count';

/** Deletes up to `batch` processed envelope ids received before `cutoff`. Returns how many went. */
export async function purgeProcessedEnvelopes(
  runner: QueryRunner,
  cutoff: string,
  batch: number,
): Promise<number> {
  return deletedCount(
    await runner.query(
      `DELETE FROM processed_envelopes WHERE message_id IN (
         SELECT message_id FROM processed_envelopes
          WHERE received_at < $1::timestamptz ORDER BY received_at LIMIT $2)`,
      [cutoff, batch],
    ),
  );
}
