import type { QueryRunner } from 'typeorm';
import { deletedCount } from '../core/database/deleted-count';

/** Deletes up to `batch` dead letters resolved before `cutoff`. Returns how many went. */
export async function purgeResolvedDeadLetters(
  runner: QueryRunner,
  cutoff: string,
  batch: number,
): Promise<number> {
  return deletedCount(
    await runner.query(
      `DELETE FROM dead_letters WHERE id IN (
         SELECT id FROM dead_letters
          WHERE status = 'resolved' AND updated_at < $1::timestamptz
          ORDER BY updated_at LIMIT $2)`,
      [cutoff, batch],
    ),
  );
}
