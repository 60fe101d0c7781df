import type { ShipChangeOp } from '@offline-sync/sync-core';

/** The part of a queued change that later edits of the same document can fold into. */
export interface QueuedEdit {
  op: ShipChangeOp;
  fields: Record<string, unknown>;
}

export type CoalesceResult =
  | { kind: 'merge'; op: ShipChangeOp; fields: Record<string, unknown> }
  /** The document never reached the master and is gone again: nothing to send. */
  | { kind: 'cancel' };

/**
 * Folds a new edit into a change of the same document that has not been sent yet
 * (docs/protocol.md): update+update → one update with the union of fields (the newer value wins);
 * create+update → create with the full data; create+delete → nothing; update+delete → delete.
 * The queued change keeps its base version, so the master still sees what it was based on.
 */
export function coalesceChanges(queued: QueuedEdit, next: QueuedEdit): CoalesceResult {
  if (queued.op === 'delete' || next.op === 'create') {
    // The content service refuses edits of deleted documents and re-creation of existing ones.
    throw new Error(`cannot fold a ${next.op} into a queued ${queued.op}`);
  }
  if (next.op === 'delete') {
    return queued.op === 'create'
      ? { kind: 'cancel' }
      : { kind: 'merge', op: 'delete', fields: {} };
  }
  return { kind: 'merge', op: queued.op, fields: { ...queued.fields, ...next.fields } };
}
