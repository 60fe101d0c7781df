import type { ShipChangeOp } from '@offline-sync/sync-core';
import type { OutboxPage } from './outbox-changes.repository';
import type { OutboxChange, OutboxStatus } from './sync-queue.table';

/** A queue row as the API shows it. */
export interface OutboxChangeView {
  id: number;
  changeId: string;
  seq: number | null;
  op: ShipChangeOp;
  type: string;
  documentId: string;
  locale: string;
  baseVersion: number;
  fields: Record<string, unknown>;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  messageId: string | null;
  outcome: { version: number | null; conflictId: string | null; reason: string | null } | null;
  editedAt: string;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  settledAt: string | null;
}

export function toOutboxChangeView(row: OutboxChange): OutboxChangeView {
  const settled =
    row.status === 'applied' || row.status === 'conflict' || row.status === 'rejected';
  return {
    id: row.id,
    changeId: row.changeId,
    seq: row.seq,
    op: row.op,
    type: row.type,
    documentId: row.documentId,
    locale: row.locale,
    baseVersion: row.baseVersion,
    fields: JSON.parse(row.fields) as Record<string, unknown>,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    messageId: row.messageId,
    outcome: settled
      ? { version: row.outcomeVersion, conflictId: row.conflictId, reason: row.reason }
      : null,
    editedAt: row.editedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    sentAt: row.sentAt,
    settledAt: row.settledAt,
  };
}

/** A page of the queue as the API shows it. */
export interface QueuePage {
  items: OutboxChangeView[];
  page: number;
  pageSize: number;
  total: number;
}

export function queuePage(found: OutboxPage, page: number, pageSize: number): QueuePage {
  return { items: found.rows.map(toOutboxChangeView), page, pageSize, total: found.total };
}
