import type { QueryRunner } from 'typeorm';
import { deletedCount } from '../core/database/deleted-count';

/**
 * Deletes up to `batch` conflicts resolved before `cutoff` whose outcomes are gone. Returns how
 * many went.
 */
export async function purgeResolvedConflicts(
  runner: QueryRunner,
  cutoff: string,
  batch: number,
): Promise<number> {
  return deletedCount(
    await runner.query(
      `DELETE FROM conflicts WHERE id IN (
         SELECT c.id FROM conflicts c
          WHERE c.status = 'resolved' AND c.resolved_at < $1::timestamptz
            AND NOT EXISTS (SELECT 1 FROM change_outcomes o WHERE o.conflict_id = c.id)
          ORDER BY c.resolved_at LIMIT $2)`,
      [cutoff, batch],
    ),
  );
}
