import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Small named values the ship keeps: the last assigned seq, last push/pull times. */
@Entity({ name: 'sync_meta' })
export class SyncMetaEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'text' })
  value!: string;
}
