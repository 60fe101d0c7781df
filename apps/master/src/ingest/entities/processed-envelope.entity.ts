import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** Envelopes already applied: a redelivered envelope is recognised by its id and skipped. */
@Entity({ name: 'processed_envelopes' })
@Index('processed_envelopes_sender_received', ['sender', 'receivedAt'])
export class ProcessedEnvelope {
  @PrimaryColumn({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @Column({ type: 'text' })
  sender!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ name: 'change_count', type: 'integer' })
  changeCount!: number;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt!: Date;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
