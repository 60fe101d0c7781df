import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export type DeadLetterStatus = 'pending' | 'retrying' | 'exhausted' | 'resolved';

/**
 * The `partition` of a dead letter the master never sent (a parked outbox row): it was never on
 * a partition, and its `offset` is the outbox row's id.
 */
export const UNSENT_PARTITION = -1;

/**
 * A message that could not be applied (or, on partition UNSENT_PARTITION, one the master could not
 * send), with why, kept until it is retried or resolved.
 */
@Entity({ name: 'dead_letters' })
@Index('dead_letters_status_next_attempt', ['status', 'nextAttemptAt'])
@Index('dead_letters_source', ['topic', 'partition', 'offset'], { unique: true })
export class DeadLetter {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'integer' })
  partition!: number;

  @Column({ type: 'bigint' })
  offset!: string;

  @Column({ type: 'text', nullable: true })
  key!: string | null;

  @Column({ type: 'text' })
  value!: string;

  @Column({ name: 'value_encoding', type: 'text' })
  valueEncoding!: 'utf8' | 'base64';

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  headers!: Record<string, string>;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text' })
  detail!: string;

  @Column({ type: 'text', nullable: true })
  sender!: string | null;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  @Column({ type: 'text', default: 'pending' })
  status!: DeadLetterStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
