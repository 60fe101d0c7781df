import type { DocumentSyncState } from '../documents/documents.table';

/** What the ship holds of a document, as far as taking a master update is concerned. */
export interface LocalDocumentState {
  version: number;
  syncState: DocumentSyncState;
  /** The open conflict holding the crew's edit, when the master named it. */
  conflictId: string | null;
  /** Master version the open conflict is against, when the master said so. */
  conflictVersion: number | null;
  heldVersion: number | null;
}

export interface IncomingUpdate {
  version: number;
  /** Master clock (shown, never compared). */
  updatedAt: string;
  /** Conflicts open on the document at this version. */
  openConflicts?: readonly string[];
}

/** apply: take the master's copy; hold: keep it aside until the local edits are settled. */
export type MasterUpdateDecision = 'apply' | 'hold' | 'ignore';

/**
 * docs/protocol.md, "Ship inbound": a master update is applied when it is not older than the
 * ship's copy and no local change of the document waits for the master; otherwise the newest one
 * is held. An open conflict keeps the crew's edit until its resolution arrives: a version newer
 * than the one the conflict is against that no longer names the conflict open. Versions decide,
 * never clocks. Equal versions are re-applied: that is how the ship converges on the master's
 * exact result of its own change (e.g. after a field merge).
 */
export function decideMasterUpdate(
  local: LocalDocumentState | null,
  update: IncomingUpdate,
  awaitingMaster: boolean,
): MasterUpdateDecision {
  if (!local) return 'apply';
  if (update.version < local.version) return 'ignore';
  const newerThanHeld = update.version > (local.heldVersion ?? 0);
  if (local.syncState === 'conflict') {
    if (!resolvesConflict(local, update)) return 'ignore';
    if (!awaitingMaster) return 'apply';
    return newerThanHeld ? 'hold' : 'ignore';
  }
  if (awaitingMaster) return newerThanHeld ? 'hold' : 'ignore';
  return 'apply';
}

function resolvesConflict(local: LocalDocumentState, update: IncomingUpdate): boolean {
  if (local.conflictId !== null && update.openConflicts?.includes(local.conflictId)) return false;
  return update.version > (local.conflictVersion ?? local.version);
}
