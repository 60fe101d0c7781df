import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The master's current state of one (type, id, locale); a deletion keeps its row as a marker. */
@Entity({ name: 'documents' })
export class MasterDocument {
  @PrimaryColumn({ type: 'text' })
  type!: string;

  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @PrimaryColumn({ type: 'text' })
  locale!: string;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'boolean' })
  deleted!: boolean;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'text' })
  updatedBy!: string;
}
