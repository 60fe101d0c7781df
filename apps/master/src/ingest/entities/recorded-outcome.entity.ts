import type { ChangeOutcomeStatus } from '@offline-sync/sync-core';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What the master did with a ship change, so a redelivered change gets the same answer again. */
@Entity({ name: 'change_outcomes' })
export class RecordedOutcome {
  @PrimaryColumn({ name: 'ship_id', type: 'text' })
  shipId!: string;

  @PrimaryColumn({ name: 'change_id', type: 'uuid' })
  changeId!: string;

  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'document_id', type: 'uuid' })
  documentId!: string;

  @Column({ type: 'text' })
  locale!: string;

  @Column({ type: 'text' })
  status!: ChangeOutcomeStatus;

  @Column({ type: 'integer', nullable: true })
  version!: number | null;

  @Column({ name: 'conflict_id', type: 'uuid', nullable: true })
  conflictId!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
