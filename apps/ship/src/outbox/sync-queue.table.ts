import type { ShipChangeOp } from '@offline-sync/sync-core';
import type { Generated, Insertable, Selectable } from 'kysely';

/**
 * pending: queued, not in an envelope yet (later edits of the document coalesce into it);
 * sending: in a signed envelope that the broker has not confirmed; sent: the broker has it, the
 * master's outcome has not arrived; failed: its envelope exhausted the retries (retried on
 * reconnect or push); applied / conflict / rejected: the master's outcome.
 */
export type OutboxStatus =
  'pending' | 'sending' | 'sent' | 'failed' | 'applied' | 'conflict' | 'rejected';

export const OUTBOX_STATUSES: readonly OutboxStatus[] = [
  'pending',
  'sending',
  'sent',
  'failed',
  'applied',
  'conflict',
  'rejected',
];

/** Not yet delivered to the broker. */
export const UNDELIVERED_STATUSES: readonly OutboxStatus[] = ['pending', 'sending', 'failed'];

/** A local change the master has not decided on: its document must not take master updates. */
export const AWAITING_MASTER_STATUSES: readonly OutboxStatus[] = [
  'pending',
  'sending',
  'sent',
  'failed',
];

/** A settled change's statuses: the master decided it (or the ship refused to send it). */
export const SETTLED_STATUSES: readonly OutboxStatus[] = ['applied', 'rejected', 'conflict'];

/** One local change waiting for (or settled by) the master: the seed's `sync_queue`. */
export interface OutboxChange {
  /** Write order: the relay sends in this order. */
  id: number;
  changeId: string;
  docKey: string;
  type: string;
  documentId: string;
  locale: string;
  op: ShipChangeOp;
  baseVersion: number;
  /** JSON text: full data on create, changed fields on update, {} on delete. */
  fields: string;
  editedAt: string;
  status: OutboxStatus;
  /** Per-ship sequence, assigned with the envelope, before the first send. */
  seq: number | null;
  messageId: string | null;
  attempts: number;
  lastError: string | null;
  /** Times the ship asked the master again for this change's outcome (OutcomeReaskService). */
  reasked: number;
  outcomeVersion: number | null;
  conflictId: string | null;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  settledAt: string | null;
}

/** A change to insert: the database assigns its id. */
export type NewOutboxChange = Omit<OutboxChange, 'id'>;

/** A new row's relay and outcome columns: not sent, no outcome yet. */
export const UNSENT_CHANGE_COLUMNS = {
  messageId: null,
  attempts: 0,
  reasked: 0,
  lastError: null,
  outcomeVersion: null,
  conflictId: null,
  reason: null,
  sentAt: null,
  settledAt: null,
} as const satisfies Partial<OutboxChange>;

/** The `sync_queue` table as stored. */
export interface SyncQueueTable {
  id: Generated<number>;
  change_id: string;
  doc_key: string;
  type: string;
  document_id: string;
  locale: string;
  op: ShipChangeOp;
  base_version: number;
  fields: string;
  edited_at: string;
  status: OutboxStatus;
  seq: number | null;
  message_id: string | null;
  attempts: number;
  last_error: string | null;
  reasked: number;
  outcome_version: number | null;
  conflict_id: string | null;
  reason: string | null;
  created_at: string;
  updated_at: string;
  sent_at: string | null;
  settled_at: string | null;
}

export function outboxChange(row: Selectable<SyncQueueTable>): OutboxChange {
  return {
    id: row.id,
    changeId: row.change_id,
    docKey: row.doc_key,
    type: row.type,
    documentId: row.document_id,
    locale: row.locale,
    op: row.op,
    baseVersion: row.base_version,
    fields: row.fields,
    editedAt: row.edited_at,
    status: row.status,
    seq: row.seq,
    messageId: row.message_id,
    attempts: row.attempts,
    lastError: row.last_error,
    reasked: row.reasked,
    outcomeVersion: row.outcome_version,
    conflictId: row.conflict_id,
    reason: row.reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
    settledAt: row.settled_at,
  };
}

/** A row as it is inserted (the database assigns its id). */
export type SyncQueueRow = Insertable<SyncQueueTable>;

/** The columns of a row, in the order syncQueueRow lists them. */
export const SYNC_QUEUE_ROW_COLUMNS = [
  'change_id',
  'doc_key',
  'type',
  'document_id',
  'locale',
  'op',
  'base_version',
  'fields',
  'edited_at',
  'status',
  'seq',
  'message_id',
  'attempts',
  'last_error',
  'reasked',
  'outcome_version',
  'conflict_id',
  'reason',
  'created_at',
  'updated_at',
  'sent_at',
  'settled_at',
] as const satisfies readonly (keyof SyncQueueRow)[];

export function syncQueueRow(change: NewOutboxChange): SyncQueueRow {
  // Members listed, not mapped over: this runs for every crew write.
  return {
    change_id: change.changeId,
    doc_key: change.docKey,
    type: change.type,
    document_id: change.documentId,
    locale: change.locale,
    op: change.op,
    base_version: change.baseVersion,
    fields: change.fields,
    edited_at: change.editedAt,
    status: change.status,
    seq: change.seq,
    message_id: change.messageId,
    attempts: change.attempts,
    last_error: change.lastError,
    reasked: change.reasked,
    outcome_version: change.outcomeVersion,
    conflict_id: change.conflictId,
    reason: change.reason,
    created_at: change.createdAt,
    updated_at: change.updatedAt,
    sent_at: change.sentAt,
    settled_at: change.settledAt,
  };
}

declare module '../core/database/ship-tables' {
  interface ShipTables {
    sync_queue: SyncQueueTable;
  }
}
