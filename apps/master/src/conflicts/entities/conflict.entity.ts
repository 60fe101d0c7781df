import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ConflictStatus = 'open' | 'resolved';
export type ResolutionStrategy = 'keep-ship' | 'keep-master' | 'merge';

/** A ship change that met someone else's edit; keeps both sides' data for audit. */
@Entity({ name: 'conflicts' })
export class Conflict {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ name: 'document_id', type: 'uuid' })
  documentId!: string;

  @Column({ type: 'text' })
  locale!: string;

  @Column({ name: 'ship_id', type: 'text' })
  shipId!: string;

  /** The latest ship change this conflict holds. */
  @Column({ name: 'change_id', type: 'uuid' })
  changeId!: string;

  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'conflict_type', type: 'text' })
  conflictType!: string;

  @Column({ type: 'text' })
  rule!: string;

  @Column({ type: 'text' })
  status!: ConflictStatus;

  @Column({ name: 'base_version', type: 'integer' })
  baseVersion!: number;

  @Column({ name: 'base_data', type: 'jsonb', nullable: true })
  baseData!: Record<string, unknown> | null;

  /** The fields the ship's change(s) set. */
  @Column({ name: 'ship_fields', type: 'jsonb' })
  shipFields!: Record<string, unknown>;

  /** The ship's copy: its base data with its changed fields. */
  @Column({ name: 'ship_data', type: 'jsonb' })
  shipData!: Record<string, unknown>;

  @Column({ name: 'ship_deleted', type: 'boolean' })
  shipDeleted!: boolean;

  @Column({ name: 'master_version', type: 'integer' })
  masterVersion!: number;

  /** The master version when the conflict opened: versions from it until the resolution name it. */
  @Column({ name: 'opened_version', type: 'integer' })
  openedVersion!: number;

  @Column({ name: 'master_data', type: 'jsonb' })
  masterData!: Record<string, unknown>;

  @Column({ name: 'master_deleted', type: 'boolean' })
  masterDeleted!: boolean;

  @Column({ name: 'foreign_authors', type: 'text', array: true })
  foreignAuthors!: string[];

  @Column({ type: 'text', nullable: true })
  resolution!: ResolutionStrategy | null;

  @Column({ name: 'resolved_data', type: 'jsonb', nullable: true })
  resolvedData!: Record<string, unknown> | null;

  @Column({ name: 'resolved_version', type: 'integer', nullable: true })
  resolvedVersion!: number | null;

  @Column({ name: 'resolved_by', type: 'text', nullable: true })
  resolvedBy!: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
