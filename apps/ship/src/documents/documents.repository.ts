import { Injectable } from '@nestjs/common';
import { RepeatedInsert } from '../core/database/repeated-insert';
import { inListChunks, statementChunks } from '../core/database/statement-sizes';
import type { ShipDb } from '../core/database/ship-tables';
import {
  DOCUMENT_COLUMNS,
  DOCUMENT_ROW_COLUMNS,
  documentRow,
  storedDocument,
  type DocumentColumn,
  type DocumentRow,
  type DocumentSyncState,
  type StoredDocument,
} from './documents.table';

/** Rows per multi-row upsert (16 columns each: well under SQLite's bound-variable limit). */
export const DOCUMENT_UPSERT_CHUNK = 100;

/** One page of live documents and how many there are in all. */
export interface DocumentPage {
  rows: StoredDocument[];
  total: number;
}

/** What a content checksum reads of a live document. */
export type ChecksummedDocument = Pick<
  StoredDocument,
  'type' | 'documentId' | 'locale' | 'version' | 'data'
>;

/**
 * The `documents` table's owner: crew writes (content), master updates (inbox) and outcomes
 * (outcomes, and the relay's refusals through them) write documents only through these methods,
 * each inside the caller's unit of work.
 */
@Injectable()
export class DocumentsRepository {
  /** The upsert of each list of owned columns. */
  private readonly upserts = new Map<string, RepeatedInsert<DocumentRow>>();

  /**
   * The stored rows of these document keys, by key (keys without a row are absent): what every
   * crew write, master update and outcome reads first.
   */
  async load(db: ShipDb, keys: readonly string[]): Promise<Map<string, StoredDocument>> {
    const found = new Map<string, StoredDocument>();
    for (const chunk of inListChunks(keys)) {
      const rows = await db
        .selectFrom('documents')
        .selectAll()
        .where('doc_key', 'in', chunk)
        .execute();
      for (const row of rows) found.set(row.doc_key, storedDocument(row));
    }
    return found;
  }

  async find(db: ShipDb, key: string): Promise<StoredDocument | null> {
    const row = await db
      .selectFrom('documents')
      .selectAll()
      .where('doc_key', '=', key)
      .executeTakeFirst();
    return row ? storedDocument(row) : null;
  }

  /**
   * Writes whole document rows with one statement per chunk: new keys are inserted, existing ones
   * get only `columns` (the ones the caller's path owns; the others keep their stored values).
   */
  async upsert(
    db: ShipDb,
    documents: readonly StoredDocument[],
    columns: readonly DocumentColumn[],
    rowsPerStatement = DOCUMENT_UPSERT_CHUNK,
  ): Promise<void> {
    const upsert = this.upsertOf(columns);
    // Chunks of a few sizes only, so that their statements stay cached (statement-sizes).
    for (const chunk of statementChunks(documents, rowsPerStatement)) {
      await upsert.run(db, chunk.map(documentRow));
    }
  }

  private upsertOf(columns: readonly DocumentColumn[]): RepeatedInsert<DocumentRow> {
    const key = columns.join(',');
    let upsert = this.upserts.get(key);
    if (!upsert) {
      const names = columns.map((column) => DOCUMENT_COLUMNS[column]);
      upsert = new RepeatedInsert<DocumentRow>(DOCUMENT_ROW_COLUMNS, (db, rows) =>
        db
          .insertInto('documents')
          .values([...rows])
          .onConflict((clash) =>
            names.length === 0
              ? clash.column('doc_key').doNothing()
              : clash
                  .column('doc_key')
                  .doUpdateSet((eb) =>
                    Object.fromEntries(names.map((name) => [name, eb.ref(`excluded.${name}`)])),
                  ),
          ),
      );
      this.upserts.set(key, upsert);
    }
    return upsert;
  }

  /** A page of a type's live documents (of one locale, when given), by id then locale. */
  async listLive(
    db: ShipDb,
    filter: { type: string; locale?: string },
    page: number,
    pageSize: number,
  ): Promise<DocumentPage> {
    let live = db
      .selectFrom('documents')
      .where('type', '=', filter.type)
      .where('deleted', '=', false);
    if (filter.locale !== undefined) live = live.where('locale', '=', filter.locale);
    const rows = await live
      .selectAll()
      .orderBy('document_id')
      .orderBy('locale')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    const counted = await live.select((eb) => eb.fn.countAll().as('count')).executeTakeFirst();
    return { rows: rows.map(storedDocument), total: Number(counted?.count ?? 0) };
  }

  async countInState(db: ShipDb, state: DocumentSyncState): Promise<number> {
    const row = await db
      .selectFrom('documents')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('sync_state', '=', state)
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  /** Every live document, as a content checksum reads it. */
  async liveForChecksum(db: ShipDb): Promise<ChecksummedDocument[]> {
    const rows = await db
      .selectFrom('documents')
      .select(['type', 'document_id', 'locale', 'version', 'data'])
      .where('deleted', '=', false)
      .execute();
    return rows.map((row) => ({
      type: row.type,
      documentId: row.document_id,
      locale: row.locale,
      version: row.version,
      data: row.data,
    }));
  }
}
