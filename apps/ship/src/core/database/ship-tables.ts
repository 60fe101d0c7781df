import type { Kysely } from 'kysely';
import type { DocumentsTable } from '../../documents/documents.table';
import type { DeadLettersTable } from '../../dead-letters/dead-letters.table';
import type { InboxPositionsTable } from '../../inbox/inbox-positions.table';
import type { SyncQueueTable } from '../../outbox/sync-queue.table';
import type { SyncEnvelopesTable } from '../../relay/sync-envelopes.table';
import type { SyncMetaTable } from './sync-meta.repository';

/**
 * The ship's tables as stored (database column names), each defined beside the repository of the
 * module that owns it: only that repository writes it.
 */
export interface ShipTables {
  documents: DocumentsTable;
  sync_queue: SyncQueueTable;
  sync_envelopes: SyncEnvelopesTable;
  sync_meta: SyncMetaTable;
  inbox_positions: InboxPositionsTable;
  dead_letters: DeadLettersTable;
}

/**
 * What a unit of work reaches the database through (ShipDatabase): the transaction, or the
 * connection itself for reads.
 */
export type ShipDb = Kysely<ShipTables>;
