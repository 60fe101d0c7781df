import type { QueryRunner } from 'typeorm';
import { purgeResolvedConflicts } from '../conflicts/conflicts.purge';
import { purgeResolvedDeadLetters } from '../dead-letters/dead-letters.purge';
import { purgeProcessedEnvelopes } from '../ingest/processed-envelopes.purge';
import { purgeRecordedOutcomes } from '../ingest/recorded-outcomes.purge';
import {
  purgeSupersededRevisions,
  type RevisionKey,
  type RevisionPage,
} from '../revisions/revisions.purge';

/** Rows deleted (or revisions looked at) per transaction. */
export const MASTER_PURGE_BATCH = 1000;

/** What one purge deleted. */
export interface MasterPurgeCounts {
  processedEnvelopes: number;
  changeOutcomes: number;
  conflicts: number;
  revisions: number;
  deadLetters: number;
}

export interface PurgeOptions {
  batch?: number;
  /** Asked between batches: a shutdown stops the purge there. */
  stopped?: () => boolean;
}

/**
 * Deletes the master's settled history older than `cutoff` (a timestamptz as text, from the
 * database's clock), a batch per transaction on `runner` (docs/protocol.md, "Retention"):
 * 1. recorded outcomes, except those of a conflict still open or resolved after the cutoff; each
 *    ship's `outcomes_purged_through` rises to the highest seq purged, in the same transaction;
 * 2. resolved conflicts resolved before the cutoff whose outcomes are gone;
 * 3. revisions superseded before the cutoff: a revision goes once a later revision of its
 *    document was itself recorded before the cutoff, unless an open conflict's base is at or
 *    below it or a pending outbox row still sends it (every document keeps its latest revision,
 *    and a ship dark for less than the horizon finds its base version and all after it);
 * 4. processed envelope ids received before the cutoff;
 * 5. dead letters resolved before the cutoff (pending, retrying and exhausted ones stay).
 * Sent outbox rows are OutboxCleanup's (a day). Open conflicts, documents, ship registry rows
 * and high-water marks are never touched. Each step is its table's owner's (`*.purge.ts` beside
 * the module that writes the table); this function only batches them into transactions.
 */
export async function purgeMasterHistory(
  runner: QueryRunner,
  cutoff: string,
  options: PurgeOptions = {},
): Promise<MasterPurgeCounts> {
  const batch = options.batch ?? MASTER_PURGE_BATCH;
  const stopped = options.stopped ?? (() => false);
  const inTransaction = async <T>(work: () => Promise<T>): Promise<T> => {
    await runner.startTransaction();
    try {
      const result = await work();
      await runner.commitTransaction();
      return result;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  };
  const inBatches = async (statement: () => Promise<number>): Promise<number> => {
    let total = 0;
    for (;;) {
      const deleted = await inTransaction(statement);
      total += deleted;
      if (deleted < batch || stopped()) return total;
    }
  };

  const changeOutcomes = await inBatches(() => purgeRecordedOutcomes(runner, cutoff, batch));
  const conflicts = await inBatches(() => purgeResolvedConflicts(runner, cutoff, batch));
  let revisions = 0;
  let after: RevisionKey | null = null;
  do {
    const page: RevisionPage = await inTransaction(() =>
      purgeSupersededRevisions(runner, cutoff, batch, after),
    );
    revisions += page.deleted;
    after = page.last;
  } while (after !== null && !stopped());
  const processedEnvelopes = await inBatches(() => purgeProcessedEnvelopes(runner, cutoff, batch));
  const deadLetters = await inBatches(() => purgeResolvedDeadLetters(runner, cutoff, batch));
  return { processedEnvelopes, changeOutcomes, conflicts, revisions, deadLetters };
}
