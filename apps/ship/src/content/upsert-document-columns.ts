import type { EntityManager } from 'typeorm';
import { insertRows } from '../core/database/insert-rows';
import { DocumentEntity } from './entities/document.entity';

/** Rows per multi-row upsert (16 columns each: well under SQLite's bound-variable limit). */
export const DOCUMENT_UPSERT_CHUNK = 100;

/**
 * Writes whole document rows with one statement per chunk: new keys are inserted, existing ones
 * get only `columns` (the ones the caller's path owns; the others keep their stored values).
 */
export async function upsertDocumentColumns(
  manager: EntityManager,
  rows: readonly DocumentEntity[],
  columns: string[],
  rowsPerStatement = DOCUMENT_UPSERT_CHUNK,
): Promise<void> {
  await insertRows(manager, DocumentEntity, rows, {
    conflict: { columns: ['doc_key'], update: columns },
    rowsPerStatement,
  });
}
