import type { ShipDb } from '../core/database/ship-tables';
import { DocumentsRepository } from '../documents/documents.repository';
import {
  DOCUMENT_COLUMNS,
  storedDocument,
  type StoredDocument,
} from '../documents/documents.table';
import { OutboxChangesRepository } from '../outbox/outbox-changes.repository';
import { outboxChange, type NewOutboxChange, type OutboxChange } from '../outbox/sync-queue.table';
import { outboxEnvelope, type OutboxEnvelope } from '../relay/sync-envelopes.table';

/**
 * A spec's own reads and writes of whole rows, through the tables' owners where they have a
 * method for it.
 */
export const shipRows = {
  insertDocuments: (db: ShipDb, documents: readonly StoredDocument[]): Promise<void> =>
    new DocumentsRepository().upsert(db, documents, []),

  /** Inserted one statement per row, in order: ids follow the list. */
  insertChanges: async (db: ShipDb, changes: readonly NewOutboxChange[]): Promise<void> => {
    for (const change of changes) await new OutboxChangesRepository().insert(db, [change]);
  },

  document: async (db: ShipDb, key: string): Promise<StoredDocument> => {
    const found = await new DocumentsRepository().find(db, key);
    if (!found) throw new Error(`no document ${key}`);
    return found;
  },

  documents: async (db: ShipDb): Promise<StoredDocument[]> =>
    (await db.selectFrom('documents').selectAll().orderBy(DOCUMENT_COLUMNS.key).execute()).map(
      storedDocument,
    ),

  changes: async (db: ShipDb): Promise<OutboxChange[]> =>
    (await db.selectFrom('sync_queue').selectAll().orderBy('id').execute()).map(outboxChange),

  change: async (db: ShipDb, changeId: string): Promise<OutboxChange> => {
    const row = await db
      .selectFrom('sync_queue')
      .selectAll()
      .where('change_id', '=', changeId)
      .executeTakeFirstOrThrow();
    return outboxChange(row);
  },

  envelopes: async (db: ShipDb): Promise<OutboxEnvelope[]> =>
    (await db.selectFrom('sync_envelopes').selectAll().orderBy('first_seq').execute()).map(
      outboxEnvelope,
    ),
};
