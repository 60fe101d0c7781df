import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** pending: to be sent (again); sent: the broker confirmed it; failed: retries exhausted. */
export type EnvelopeStatus = 'pending' | 'sent' | 'failed';

/**
 * A signed batch of changes exactly as it goes on the wire. It is stored before the first send and
 * every retry sends these same bytes, so the master recognises a redelivery by its messageId.
 */
@Entity({ name: 'sync_envelopes' })
@Index('sync_envelopes_status', ['status', 'firstSeq'])
export class OutboxEnvelopeEntity {
  @PrimaryColumn({ name: 'message_id', type: 'varchar', length: 36 })
  messageId!: string;

  @Column({ name: 'first_seq', type: 'integer' })
  firstSeq!: number;

  @Column({ name: 'last_seq', type: 'integer' })
  lastSeq!: number;

  @Column({ name: 'change_count', type: 'integer' })
  changeCount!: number;

  /** The encoded signed envelope. */
  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: EnvelopeStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ name: 'sent_at', type: 'varchar', length: 32, nullable: true })
  sentAt!: string | null;
}
