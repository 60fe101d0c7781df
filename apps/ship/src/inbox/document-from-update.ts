import type { LocalOnlyFields, MasterUpdateDto } from '@offline-sync/sync-core';
import { isoNow } from '../core/database/iso-now';
import type { StoredDocument } from '../documents/documents.table';

/**
 * The master's copy replaces the local one: data, version, deletion; nothing is pending any more.
 * The local-only fields of the local copy stay (the master never has them).
 */
export function documentFromUpdate(
  key: string,
  update: MasterUpdateDto,
  local: StoredDocument | null,
  localOnly: LocalOnlyFields,
): StoredDocument {
  const now = isoNow();
  const localData = local ? (JSON.parse(local.data) as Record<string, unknown>) : null;
  return {
    key,
    type: update.type,
    documentId: update.documentId,
    locale: update.locale,
    data: JSON.stringify(localOnly.keepLocal(update.type, update.data, localData)),
    version: update.version,
    deleted: update.deleted,
    syncState: 'synced',
    conflictId: null,
    conflictVersion: null,
    conflictAt: null,
    reason: null,
    heldVersion: null,
    heldUpdate: null,
    createdAt: local?.createdAt ?? now,
    updatedAt: now,
  };
}
