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

/**
 * Reads current document states, set-based: one statement for any number of keys.
 *
 * Writers of the same (type, id, locale) — ingest batches on every replica, the content API,
 * conflict resolutions — serialise on the document's row: `lockAndLoad` reads the rows
 * `FOR UPDATE`, in key order (two batches never deadlock on each other), and holds them for the
 * rest of the transaction. Row locks live in the rows themselves, not in PostgreSQL's shared lock
 * table, so a batch may lock any number of documents, and two batches wait for each other only
 * when they share a document. A document that does not exist yet has no row to lock: the
 * VersionWriter inserts it only if still absent and fails the transaction otherwise
 * (ConcurrentCreateError), so of two concurrent creates one wins and the other is retried.
 */
@Injectable()
export class DocumentStore {
  /** Current states by refKey; documents the master does not have are absent. */
  async load(manager: EntityManager, refs: DocumentRef[]): Promise<Map<string, DocumentState>> {
    return this.select(manager, refs, false);
  }

  /** As `load`, and locks the existing documents' rows until the transaction ends. */
  async lockAndLoad(
    manager: EntityManager,
    refs: DocumentRef[],
  ): Promise<Map<string, DocumentState>> {
    return this.select(manager, refs, true);
  }

  async loadOne(manager: EntityManager, ref: DocumentRef): Promise<DocumentState | null> {
    return (await this.load(manager, [ref])).get(refKey(ref)) ?? null;
  }

  async lockAndLoadOne(manager: EntityManager, ref: DocumentRef): Promise<DocumentState | null> {
    return (await this.lockAndLoad(manager, [ref])).get(refKey(ref)) ?? null;
  }

  private async select(
    manager: EntityManager,
    refs: DocumentRef[],
    lock: boolean,
  ): Promise<Map<string, DocumentState>> {
    const states = new Map<string, DocumentState>();
    if (refs.length === 0) return states;
    const rows = await manager.query<DocumentRow[]>(
      `SELECT d.type, d.id, d.locale, d.version, d.deleted, d.data, d.updated_at, d.updated_by
         FROM documents d
         JOIN unnest($1::text[], $2::uuid[], $3::text[]) AS k(type, id, locale)
           ON d.type = k.type AND d.id = k.id AND d.locale = k.locale` +
        (lock ? ` ORDER BY d.type, d.id, d.locale FOR UPDATE OF d` : ''),
      [refs.map((r) => r.type), refs.map((r) => r.documentId), refs.map((r) => r.locale)],
    );
    for (const row of rows) {
      const state = toState(row);
      states.set(refKey(state), state);
    }
    return states;
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
