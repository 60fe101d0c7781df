import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Envelopes already applied: a redelivered envelope is recognised by its sender and id and
 * answered with its recorded outcomes. Per sender, so no ship can make another's envelope a
 * duplicate by reusing its id.
 */
@Entity({ name: 'processed_envelopes' })
@Index('processed_envelopes_sender_received', ['sender', 'receivedAt'])
export class ProcessedEnvelope {
  @PrimaryColumn({ type: 'text' })
  sender!: string;

  @PrimaryColumn({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ name: 'change_count', type: 'integer' })
  changeCount!: number;

  @Column({ name: 'sent_at', type: 'timestamptz' })
  sentAt!: Date;

  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;
}
