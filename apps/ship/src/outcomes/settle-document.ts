import type { ChangeOutcomeStatus } from '@offline-sync/sync-core';
import type { DocumentSyncState } from '../documents/documents.table';
import { decideMasterUpdate, type IncomingUpdate } from '../inbox/master-update-decision';

export interface DocumentSyncFields {
  version: number;
  syncState: DocumentSyncState;
  conflictId: string | null;
  conflictVersion: number | null;
  conflictAt: string | null;
  reason: string | null;
  heldVersion: number | null;
}

export interface SettledOutcome {
  status: ChangeOutcomeStatus;
  version?: number;
  conflictId?: string;
  reason?: string;
}

export interface SettleResult {
  fields: DocumentSyncFields;
  /** The held master update is now to be applied (it replaces data, version and state). */
  applyHeld: boolean;
}

/**
 * How one outcome of a local change moves its document (docs/protocol.md, "Ship inbound"):
 * - applied: the base version moves up to the master's version; synced once nothing else of
 *   the document waits (an open conflict stays shown until resolved);
 * - conflict: the crew's edit stays, the document shows the conflict until its resolution;
 * - rejected: shown with the reason until the master's copy replaces it.
 * When nothing of the document waits any more, a held master update is applied if it still
 * qualifies by the same rules as a fresh one.
 */
export function settleDocument(
  document: DocumentSyncFields,
  outcome: SettledOutcome,
  reportedAt: string,
  stillAwaiting: boolean,
  held: IncomingUpdate | null,
): SettleResult {
  const fields: DocumentSyncFields = { ...document };
  const conflictOpen = document.syncState === 'conflict';
  switch (outcome.status) {
    case 'applied':
      fields.version = Math.max(document.version, outcome.version ?? document.version);
      if (!conflictOpen) {
        fields.syncState = stillAwaiting ? 'pending' : 'synced';
        fields.reason = null;
      }
      break;
    case 'conflict':
      fields.syncState = 'conflict';
      fields.conflictId = outcome.conflictId ?? null;
      fields.conflictVersion = outcome.version ?? null;
      fields.conflictAt = reportedAt;
      fields.reason = null;
      break;
    case 'rejected':
      if (!conflictOpen) {
        fields.syncState = stillAwaiting ? 'pending' : 'rejected';
        fields.reason = outcome.reason ?? null;
      }
      break;
  }
  const applyHeld =
    !stillAwaiting && held !== null && decideMasterUpdate(fields, held, false) === 'apply';
  return { fields, applyHeld };
}
