import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A received message that was not applied (bad signature, invalid payload...), with why. */
@Entity({ name: 'dead_letters' })
@Index('dead_letters_created', ['createdAt'])
export class DeadLetterEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'varchar', length: 249 })
  topic!: string;

  @Column({ type: 'integer' })
  partition!: number;

  @Column({ name: 'message_offset', type: 'varchar', length: 20 })
  offset!: string;

  @Column({ name: 'message_key', type: 'text', nullable: true })
  key!: string | null;

  @Column({ type: 'text' })
  value!: string;

  @Column({ name: 'value_encoding', type: 'varchar', length: 8 })
  valueEncoding!: 'utf8' | 'base64';

  /** JSON text. */
  @Column({ type: 'text' })
  headers!: string;

  @Column({ type: 'varchar', length: 64 })
  reason!: string;

  @Column({ type: 'text' })
  detail!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sender!: string | null;

  @Column({ name: 'message_id', type: 'varchar', length: 64, nullable: true })
  messageId!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;
}
