import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type OutboxKind = 'master-update' | 'change-outcomes';

/**
 * A message the master owes Kafka, written in the same transaction as the change it announces;
 * the relay signs and publishes it and marks it sent only after the broker acknowledged it.
 */
@Entity({ name: 'outbox' })
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  kind!: OutboxKind;

  /** Fixed when the row is written, so every re-send of it is the same envelope. */
  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'text' })
  key!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  /** `parked`: never sendable (over the request limit); its dead letter says why. */
  @Column({ type: 'text' })
  status!: 'pending' | 'sent' | 'parked';

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}
