import type { EntityManager } from 'typeorm';
import { selectRowsIn } from '../core/database/select-rows';
import { IN_LIST_CHUNK } from '../core/database/ship-database.service';
import { DocumentEntity } from './entities/document.entity';

/**
 * The stored rows of these document keys, by key (keys without a row are absent): what every
 * crew write, master update and outcome reads first.
 */
export async function loadDocuments(
  manager: EntityManager,
  keys: readonly string[],
): Promise<Map<string, DocumentEntity>> {
  const found = await selectRowsIn(manager, DocumentEntity, 'key', keys, {
    valuesPerStatement: IN_LIST_CHUNK,
  });
  return new Map(found.map((document) => [document.key, document]));
}
