import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** How a document stands with the master, as the content API shows it. */
export type DocumentSyncState = 'synced' | 'pending' | 'conflict' | 'rejected';

/**
 * The ship's copy of one (type, documentId, locale). A deleted document stays as a tombstone, so
 * a late, older master update cannot bring it back.
 */
@Entity({ name: 'documents' })
@Index('documents_type_locale', ['type', 'locale', 'deleted', 'documentId'])
@Index('documents_sync_state', ['syncState'])
export class DocumentEntity {
  /** masterUpdateKey(type, documentId, locale): one column to look documents up in batches. */
  @PrimaryColumn({ name: 'doc_key', type: 'varchar', length: 200 })
  key!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ name: 'document_id', type: 'varchar', length: 36 })
  documentId!: string;

  @Column({ type: 'varchar', length: 35 })
  locale!: string;

  /** JSON text of the document data. */
  @Column({ type: 'text' })
  data!: string;

  /** The master version this copy is based on (0 for a document the master has not seen yet). */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'boolean' })
  deleted!: boolean;

  @Column({ name: 'sync_state', type: 'varchar', length: 16 })
  syncState!: DocumentSyncState;

  @Column({ name: 'conflict_id', type: 'varchar', length: 128, nullable: true })
  conflictId!: string | null;

  /** Master version the open conflict is against; a newer one is its resolution. */
  @Column({ name: 'conflict_version', type: 'integer', nullable: true })
  conflictVersion!: number | null;

  /** When the master reported the conflict (its clock), to recognise the resolution by time when
   * the outcome did not name the version the conflict is against. */
  @Column({ name: 'conflict_at', type: 'varchar', length: 32, nullable: true })
  conflictAt!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** Newest master update kept aside while a local edit of this document waits for the master. */
  @Column({ name: 'held_version', type: 'integer', nullable: true })
  heldVersion!: number | null;

  /** That update (MasterUpdateDto as JSON text). */
  @Column({ name: 'held_update', type: 'text', nullable: true })
  heldUpdate!: string | null;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt!: string;
}
