import type { ShipChangeOp } from '@offline-sync/sync-core';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

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

/** One local change waiting for (or settled by) the master: the seed's `sync_queue`. */
@Entity({ name: 'sync_queue' })
@Index('sync_queue_status', ['status', 'id'])
@Index('sync_queue_document', ['docKey', 'status'])
@Index('sync_queue_message', ['messageId'])
@Index('sync_queue_change', ['changeId'], { unique: true })
export class OutboxChangeEntity {
  /** Write order: the relay sends in this order. */
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'change_id', type: 'varchar', length: 36 })
  changeId!: string;

  @Column({ name: 'doc_key', type: 'varchar', length: 200 })
  docKey!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ name: 'document_id', type: 'varchar', length: 36 })
  documentId!: string;

  @Column({ type: 'varchar', length: 35 })
  locale!: string;

  @Column({ type: 'varchar', length: 8 })
  op!: ShipChangeOp;

  @Column({ name: 'base_version', type: 'integer' })
  baseVersion!: number;

  /** JSON text: full data on create, changed fields on update, {} on delete. */
  @Column({ type: 'text' })
  fields!: string;

  @Column({ name: 'edited_at', type: 'varchar', length: 32 })
  editedAt!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: OutboxStatus;

  /** Per-ship sequence, assigned with the envelope, before the first send. */
  @Column({ type: 'integer', nullable: true })
  seq!: number | null;

  @Column({ name: 'message_id', type: 'varchar', length: 36, nullable: true })
  messageId!: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  /** Times the ship asked the master again for this change's outcome (OutcomeReaskService). */
  @Column({ type: 'integer', default: 0 })
  reasked!: number;

  @Column({ name: 'outcome_version', type: 'integer', nullable: true })
  outcomeVersion!: number | null;

  @Column({ name: 'conflict_id', type: 'varchar', length: 128, nullable: true })
  conflictId!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt!: string;

  @Column({ name: 'sent_at', type: 'varchar', length: 32, nullable: true })
  sentAt!: string | null;

  @Column({ name: 'settled_at', type: 'varchar', length: 32, nullable: true })
  settledAt!: string | null;
}

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
} as const satisfies Partial<OutboxChangeEntity>;
