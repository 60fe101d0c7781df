import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How far the ship has applied a topic partition, written in the same transaction as what was
 * applied. The consumer seeks here on start, so nothing depends on the broker keeping group offsets.
 */
@Entity({ name: 'inbox_positions' })
export class InboxPositionEntity {
  @PrimaryColumn({ type: 'varchar', length: 249 })
  topic!: string;

  @PrimaryColumn({ type: 'integer' })
  partition!: number;

  /** Offset of the next message to read (decimal string: Kafka offsets are 64-bit). */
  @Column({ name: 'next_offset', type: 'varchar', length: 20 })
  nextOffset!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt!: string;
}
