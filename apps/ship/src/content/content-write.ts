import type { DocumentView } from './document.view';

/** One crew write, already checked for what can be checked without the database. */
export type ContentWrite =
  | {
      op: 'create';
      key: string;
      type: string;
      documentId: string;
      locale: string;
      /** The document's data as stored (JSON text of `fields`). */
      data: string;
      /** The data as given (plain JSON values), also the fields of its change. */
      fields: Record<string, unknown>;
      /** The id is a UUIDv7 the ship just generated: no stored document can have it. */
      newId: boolean;
    }
  | {
      op: 'update';
      key: string;
      type: string;
      documentId: string;
      locale: string;
      patch: Record<string, unknown>;
    }
  | { op: 'delete'; key: string; type: string; documentId: string; locale: string };

/**
 * What became of one write of a group; a refused write leaves no trace in the database. `changed`:
 * the write queued something to send.
 */
export type ContentWriteOutcome =
  { ok: true; view: DocumentView; changed: boolean } | { ok: false; error: unknown };
