import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One entry of the edit log: who made which version of a (document, locale), and what changed. */
@Entity({ name: 'revisions' })
export class Revision {
  @PrimaryColumn({ type: 'text' })
  type!: string;

  @PrimaryColumn({ name: 'document_id', type: 'uuid' })
  documentId!: string;

  @PrimaryColumn({ type: 'text' })
  locale!: string;

  @PrimaryColumn({ type: 'integer' })
  version!: number;

  /** `ship:<id>` or `master:<user>`. */
  @Column({ type: 'text' })
  author!: string;

  @Column({ name: 'changed_fields', type: 'text', array: true })
  changedFields!: string[];

  @Column({ type: 'boolean' })
  deleted!: boolean;

  /** The document's data as of this version. */
  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ name: 'change_id', type: 'uuid', nullable: true })
  changeId!: string | null;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
