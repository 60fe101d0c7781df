import type { StoredDocument } from '../documents/documents.table';
import {
  UNSENT_CHANGE_COLUMNS,
  type NewOutboxChange,
  type OutboxStatus,
} from '../outbox/sync-queue.table';

/** Whole rows of the ship's schema for database specs: document n, and a change to document n % 4. */
export const documentOf = (n: number): StoredDocument => ({
  key: `item:${String(n).padStart(4, '0')}:`,
  type: 'item',
  documentId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  locale: '',
  data: JSON.stringify({ n }),
  version: n,
  deleted: n % 2 === 0,
  syncState: n % 3 === 0 ? 'conflict' : 'synced',
  conflictId: n % 3 === 0 ? `conflict-${n}` : null,
  conflictVersion: n % 3 === 0 ? n + 1 : null,
  conflictAt: null,
  reason: null,
  heldVersion: null,
  heldUpdate: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
});

export const changeOf = (n: number, status: OutboxStatus): NewOutboxChange => ({
  changeId: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  docKey: documentOf(n % 4).key,
  type: 'item',
  documentId: documentOf(n % 4).documentId,
  locale: '',
  op: 'update',
  baseVersion: n,
  fields: JSON.stringify({ n }),
  editedAt: '2026-01-01T00:00:00.000Z',
  status,
  seq: status === 'pending' ? null : n,
  ...UNSENT_CHANGE_COLUMNS,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});
