import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The highest change seq applied per ship: anything at or below it is a redelivery. */
@Entity({ name: 'ship_sequences' })
export class ShipSequence {
  @PrimaryColumn({ name: 'ship_id', type: 'text' })
  shipId!: string;

  @Column({ name: 'high_water', type: 'bigint' })
  highWater!: string;

  /** Outcomes of this ship's changes up to this seq may have been purged (retention). */
  @Column({ name: 'outcomes_purged_through', type: 'bigint', default: 0 })
  outcomesPurgedThrough!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
