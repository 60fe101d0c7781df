import type { ShipDatabase } from '../core/database/ship-database.service';
import type { ShipDb } from '../core/database/ship-tables';
import type { DeadLettersRepository } from '../dead-letters/dead-letters.repository';
import type { OutboxChangesRepository } from '../outbox/outbox-changes.repository';
import type { EnvelopesRepository } from '../relay/envelopes.repository';

/** Rows deleted per transaction: SQLite runs on the event loop, so each stays short. */
export const SHIP_PURGE_BATCH = 500;

/** What one purge deleted. */
export interface ShipPurgeCounts {
  changes: number;
  envelopes: number;
  deadLetters: number;
}

/** The owners of the tables a purge deletes from. */
export interface ShipHistoryOwners {
  changes: OutboxChangesRepository;
  envelopes: EnvelopesRepository;
  deadLetters: DeadLettersRepository;
}

/**
 * Deletes the ship's settled history older than `cutoff` (an ISO time), a batch per transaction,
 * oldest first (docs/protocol.md, "Retention"):
 * - queue rows the master settled (applied, rejected, conflict) longer ago than the cutoff,
 *   except a conflict row whose conflict is still the document's open one;
 * - envelopes sent before the cutoff none of whose changes still awaits the master;
 * - dead letters received before the cutoff (nothing retries them on a ship).
 * Nothing that awaits the master (pending, sending, sent, failed) is touched, nor any document:
 * a document carries its own sync state, conflict and reason.
 */
export async function purgeShipHistory(
  db: ShipDatabase,
  owners: ShipHistoryOwners,
  cutoff: string,
  options: { batch?: number; stopped?: () => boolean } = {},
): Promise<ShipPurgeCounts> {
  const batch = options.batch ?? SHIP_PURGE_BATCH;
  const stopped = options.stopped ?? (() => false);
  const inBatches = async (statement: (tx: ShipDb) => Promise<number>): Promise<number> => {
    let total = 0;
    for (;;) {
      // Replayable: a purge lost with a power cut is simply done again.
      const deleted = await db.transaction(statement, 'replayable');
      total += deleted;
      if (deleted < batch || stopped()) return total;
    }
  };
  return {
    changes: await inBatches((tx) => owners.changes.purgeSettled(tx, cutoff, batch)),
    envelopes: await inBatches((tx) => owners.envelopes.purgeSent(tx, cutoff, batch)),
    deadLetters: await inBatches((tx) => owners.deadLetters.purgeBefore(tx, cutoff, batch)),
  };
}
