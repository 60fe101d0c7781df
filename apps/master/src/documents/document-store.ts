import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { refKey, type DocumentRef } from './document-key';
import type { DocumentState } from './document-state';

interface DocumentRow {
  type: string;
  id: string;
  locale: string;
  version: number;
  deleted: boolean;
  data: Record<string, unknown>;
  updated_at: Date;
  updated_by: string;
}

/** Advisory-lock namespace of document locks (the two-key form keeps them apart from others). */
const DOCUMENT_LOCK_CLASS = 0x0d0c;
/** Few enough for any number of concurrent batches to fit PostgreSQL's default lock table. */
const DOCUMENT_LOCK_BUCKETS = 1024;

/** Reads and locks current document states, set-based: one statement for any number of keys. */
@Injectable()
export class DocumentStore {
  /**
   * Serialises writers of the same (type, id, locale) across replicas and APIs for the rest of the
   * transaction. Advisory locks also cover documents that do not exist yet (two creates of one id).
   * Documents share DOCUMENT_LOCK_BUCKETS locks: a transaction holds at most that many however large
   * its batch (one lock per document exhausts PostgreSQL's shared lock table, sized
   * max_locks_per_transaction × max_connections, at a few thousand documents). Taken in a fixed
   * order, so two batches never deadlock on each other.
   */
  async lock(manager: EntityManager, refs: DocumentRef[]): Promise<void> {
    if (refs.length === 0) return;
    const keys = [...new Set(refs.map(refKey))];
    await manager.query(
      `SELECT pg_advisory_xact_lock($2::int, b)
         FROM (SELECT DISTINCT ((hashtextextended(k, 42) % $3 + $3) % $3)::int AS b
                 FROM unnest($1::text[]) AS k ORDER BY 1) AS s`,
      [keys, DOCUMENT_LOCK_CLASS, DOCUMENT_LOCK_BUCKETS],
    );
  }

  /** Current states by refKey; documents the master does not have are absent. */
  async load(manager: EntityManager, refs: DocumentRef[]): Promise<Map<string, DocumentState>> {
    const states = new Map<string, DocumentState>();
    if (refs.length === 0) return states;
    const rows = await manager.query<DocumentRow[]>(
      `SELECT d.type, d.id, d.locale, d.version, d.deleted, d.data, d.updated_at, d.updated_by
         FROM documents d
         JOIN unnest($1::text[], $2::uuid[], $3::text[]) AS k(type, id, locale)
           ON d.type = k.type AND d.id = k.id AND d.locale = k.locale`,
      [refs.map((r) => r.type), refs.map((r) => r.documentId), refs.map((r) => r.locale)],
    );
    for (const row of rows) {
      const state = toState(row);
      states.set(refKey(state), state);
    }
    return states;
  }

  async loadOne(manager: EntityManager, ref: DocumentRef): Promise<DocumentState | null> {
    return (await this.load(manager, [ref])).get(refKey(ref)) ?? null;
  }
}

function toState(row: DocumentRow): DocumentState {
  return {
    type: row.type,
    documentId: row.id,
    locale: row.locale,
    version: row.version,
    deleted: row.deleted,
    data: row.data,
    updatedAt: new Date(row.updated_at).toISOString(),
    updatedBy: row.updated_by,
  };
}
