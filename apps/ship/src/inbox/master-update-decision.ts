import type { DocumentSyncState } from '../content/entities/document.entity';

/** What the ship holds of a document, as far as taking a master update is concerned. */
export interface LocalDocumentState {
  version: number;
  syncState: DocumentSyncState;
  /** Master version the open conflict is against, when the master said so. */
  conflictVersion: number | null;
  /** When the master reported the open conflict (master clock). */
  conflictAt: string | null;
  heldVersion: number | null;
}

export interface IncomingUpdate {
  version: number;
  /** Master clock. */
  updatedAt: string;
}

/** apply: take the master's copy; hold: keep it aside until the local edits are settled. */
export type MasterUpdateDecision = 'apply' | 'hold' | 'ignore';

/**
 * docs/protocol.md, "Ship inbound": a master update is applied when it is not older than the
 * ship's copy and no local change of the document waits for the master; otherwise the newest one
 * is held. An open conflict keeps the crew's edit until its resolution arrives as a newer master
 * version (newer than the version the conflict is against, or, when the master did not name it,
 * written after the conflict was reported). Equal versions are re-applied: that is how the ship
 * converges on the master's exact result of its own change (e.g. after a field merge).
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
  if (local.conflictVersion !== null) return update.version > local.conflictVersion;
  if (update.version <= local.version) return false;
  return local.conflictAt === null || Date.parse(update.updatedAt) > Date.parse(local.conflictAt);
}
