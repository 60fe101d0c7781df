import type { ColumnType, Insertable, Selectable, SqlBool } from 'kysely';

/** How a document stands with the master, as the content API shows it. */
export type DocumentSyncState = 'synced' | 'pending' | 'conflict' | 'rejected';

/**
 * The ship's copy of one (type, documentId, locale). A deleted document stays as a tombstone, so
 * a late, older master update cannot bring it back.
 */
export interface StoredDocument {
  /** masterUpdateKey(type, documentId, locale): one column to look documents up in batches. */
  key: string;
  type: string;
  documentId: string;
  locale: string;
  /** JSON text of the document data. */
  data: string;
  /** The master version this copy is based on (0 for a document the master has not seen yet). */
  version: number;
  deleted: boolean;
  syncState: DocumentSyncState;
  conflictId: string | null;
  /** Master version the open conflict is against; a newer one is its resolution. */
  conflictVersion: number | null;
  /**
   * When the master reported the conflict (its clock), to recognise the resolution by time when
   * the outcome did not name the version the conflict is against.
   */
  conflictAt: string | null;
  reason: string | null;
  /** Newest master update kept aside while a local edit of this document waits for the master. */
  heldVersion: number | null;
  /** That update (MasterUpdateDto as JSON text). */
  heldUpdate: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The `documents` table as stored (SQLite keeps booleans as 0 and 1). */
export interface DocumentsTable {
  doc_key: string;
  type: string;
  document_id: string;
  locale: string;
  data: string;
  version: number;
  deleted: ColumnType<SqlBool, boolean, boolean>;
  sync_state: DocumentSyncState;
  conflict_id: string | null;
  conflict_version: number | null;
  conflict_at: string | null;
  reason: string | null;
  held_version: number | null;
  held_update: string | null;
  created_at: string;
  updated_at: string;
}

/** A column a write path may own (every one but the key). */
export type DocumentColumn = Exclude<keyof StoredDocument, 'key'>;

/** Each property's column. */
export const DOCUMENT_COLUMNS = {
  key: 'doc_key',
  type: 'type',
  documentId: 'document_id',
  locale: 'locale',
  data: 'data',
  version: 'version',
  deleted: 'deleted',
  syncState: 'sync_state',
  conflictId: 'conflict_id',
  conflictVersion: 'conflict_version',
  conflictAt: 'conflict_at',
  reason: 'reason',
  heldVersion: 'held_version',
  heldUpdate: 'held_update',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const satisfies Record<keyof StoredDocument, keyof DocumentsTable>;

/** A row as it is inserted. */
export type DocumentRow = Insertable<DocumentsTable>;

/** The columns of a row, in the order documentRow lists them. */
export const DOCUMENT_ROW_COLUMNS = Object.values(DOCUMENT_COLUMNS);

export function documentRow(document: StoredDocument): DocumentRow {
  // Members listed, not mapped over: this runs for every document written.
  return {
    doc_key: document.key,
    type: document.type,
    document_id: document.documentId,
    locale: document.locale,
    data: document.data,
    version: document.version,
    deleted: document.deleted,
    sync_state: document.syncState,
    conflict_id: document.conflictId,
    conflict_version: document.conflictVersion,
    conflict_at: document.conflictAt,
    reason: document.reason,
    held_version: document.heldVersion,
    held_update: document.heldUpdate,
    created_at: document.createdAt,
    updated_at: document.updatedAt,
  };
}

export function storedDocument(row: Selectable<DocumentsTable>): StoredDocument {
  return {
    key: row.doc_key,
    type: row.type,
    documentId: row.document_id,
    locale: row.locale,
    data: row.data,
    version: row.version,
    deleted: Boolean(row.deleted),
    syncState: row.sync_state,
    conflictId: row.conflict_id,
    conflictVersion: row.conflict_version,
    conflictAt: row.conflict_at,
    reason: row.reason,
    heldVersion: row.held_version,
    heldUpdate: row.held_update,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

declare module '../core/database/ship-tables' {
  interface ShipTables {
    documents: DocumentsTable;
  }
}
