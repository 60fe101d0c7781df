import { jsonEqual, type MasterUpdateDto } from '@offline-sync/sync-core';
import type { DocumentEntity } from '../content/entities/document.entity';

/** The local row is already exactly the master's copy `update` would write (but for timestamps). */
export function alreadyHolds(local: DocumentEntity, update: MasterUpdateDto): boolean {
  return (
    local.version === update.version &&
    local.deleted === update.deleted &&
    local.syncState === 'synced' &&
    local.conflictId === null &&
    local.reason === null &&
    local.heldVersion === null &&
    jsonEqual(JSON.parse(local.data), update.data)
  );
}
