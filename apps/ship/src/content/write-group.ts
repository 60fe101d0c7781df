import { uuidV7 } from '@offline-sync/sync-core';
import type { StoredDocument } from '../documents/documents.table';
import { coalesceChanges } from '../outbox/coalesce-changes';
import {
  UNSENT_CHANGE_COLUMNS,
  type NewOutboxChange,
  type OutboxChange,
} from '../outbox/sync-queue.table';
import type { NewChange } from './new-change';

/** The unsent outbox row of a document, as the group leaves it. */
interface UnsentChange {
  row: OutboxChange | NewOutboxChange;
  fields: Record<string, unknown>;
  /** Not in the database yet: inserted with the group. */
  added: boolean;
}

/**
 * What a group of crew writes does to the database, decided in memory one write after the other
 * (ContentWriter): the documents as the writes leave them, and the outbox rows to insert, fold
 * into or delete. Later writes see earlier ones; later edits of a document fold into its unsent
 * change (docs/protocol.md).
 */
export class WriteGroup {
  /** Documents the group wrote, by key. */
  readonly touched = new Map<string, StoredDocument>();
  /** New outbox rows, in write order (their ids follow it). */
  readonly added: NewOutboxChange[] = [];
  /** Stored unsent rows that later edits folded into, by id. */
  readonly folded = new Map<number, OutboxChange>();
  /** Stored unsent rows whose edits cancelled out. */
  readonly cancelled: number[] = [];
  private readonly unsent = new Map<string, UnsentChange>();

  constructor(
    /** The stored documents the writes name, by key; the group's writes update it. */
    readonly documents: Map<string, StoredDocument>,
    unsent: readonly OutboxChange[],
  ) {
    for (const row of unsent) {
      this.unsent.set(row.docKey, {
        row,
        fields: JSON.parse(row.fields) as Record<string, unknown>,
        added: false,
      });
    }
  }

  /** The document as written by the group. */
  write(document: StoredDocument): void {
    this.documents.set(document.key, document);
    this.touched.set(document.key, document);
  }

  /**
   * Queues a change: a new row, or folded into the document's unsent one (which a delete of a
   * document never sent cancels). `fieldsJson`: the fields already serialised.
   */
  enqueue(change: NewChange, times: { now: string; editedAt: string }, fieldsJson?: string): void {
    const queued = this.unsent.get(change.docKey);
    if (!queued) {
      const row = newChangeRow(change, times, fieldsJson ?? JSON.stringify(change.fields));
      this.added.push(row);
      this.unsent.set(change.docKey, { row, fields: change.fields, added: true });
      return;
    }
    const result = coalesceChanges(
      { op: queued.row.op, fields: queued.fields },
      { op: change.op, fields: change.fields },
    );
    if (result.kind === 'cancel') {
      this.unsent.delete(change.docKey);
      if (queued.added) this.added.splice(this.added.indexOf(queued.row), 1);
      else {
        const { id } = queued.row as OutboxChange;
        this.folded.delete(id);
        this.cancelled.push(id);
      }
      return;
    }
    queued.fields = result.fields;
    Object.assign(queued.row, {
      op: result.op,
      fields: JSON.stringify(result.fields),
      editedAt: times.editedAt,
      updatedAt: times.now,
    });
    if (!queued.added) this.folded.set((queued.row as OutboxChange).id, queued.row as OutboxChange);
  }
}

function newChangeRow(
  change: NewChange,
  times: { now: string; editedAt: string },
  fieldsJson: string,
): NewOutboxChange {
  return {
    ...UNSENT_CHANGE_COLUMNS,
    changeId: uuidV7(),
    docKey: change.docKey,
    type: change.type,
    documentId: change.documentId,
    locale: change.locale,
    op: change.op,
    baseVersion: change.baseVersion,
    fields: fieldsJson,
    editedAt: times.editedAt,
    status: 'pending',
    seq: null,
    createdAt: times.now,
    updatedAt: times.now,
  };
}
