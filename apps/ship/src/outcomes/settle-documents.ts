import type { LocalOnlyFields, MasterUpdateDto } from '@offline-sync/sync-core';
import type { ShipDb } from '../core/database/ship-tables';
import type { DocumentsRepository } from '../documents/documents.repository';
import type { DocumentColumn, StoredDocument } from '../documents/documents.table';
import { documentFromUpdate } from '../inbox/document-from-update';
import type { OutboxChangesRepository } from '../outbox/outbox-changes.repository';
import { settleDocument, type SettledOutcome } from './settle-document';

/** Document columns an outcome (or a held update it releases) may change. */
const SETTLED_COLUMNS: readonly DocumentColumn[] = [
  'data',
  'version',
  'deleted',
  'syncState',
  'conflictId',
  'conflictVersion',
  'conflictAt',
  'reason',
  'heldVersion',
  'heldUpdate',
  'updatedAt',
];

export interface DocumentOutcome {
  outcome: SettledOutcome;
  /** When the outcome was decided (the master's envelope time, or the ship's own for a refusal). */
  reportedAt: string;
}

/** The tables settling reads and writes, through their owners. */
export interface SettlementOwners {
  documents: DocumentsRepository;
  changes: OutboxChangesRepository;
}

/**
 * Moves each document's sync state by the outcomes of its changes, given in seq order per
 * document key. The change rows must already carry their new status, so that "is anything of
 * this document still waiting for the master" sees them. Used for the master's outcomes and for
 * changes the ship itself refuses to send (they fail the wire contract): either way the document
 * shows what became of the crew's edit.
 */
export async function settleDocuments(
  tx: ShipDb,
  owners: SettlementOwners,
  localOnly: LocalOnlyFields,
  byDocument: ReadonlyMap<string, readonly DocumentOutcome[]>,
): Promise<void> {
  if (byDocument.size === 0) return;
  const keys = [...byDocument.keys()];
  const awaiting = await owners.changes.awaitingMaster(tx, keys);
  const documents = await owners.documents.load(tx, keys);
  const settled: StoredDocument[] = [];
  for (const [key, items] of byDocument) {
    const document = documents.get(key);
    if (!document) continue;
    let fields = document;
    let applyHeld = false;
    items.forEach((item, index) => {
      const stillAwaiting = index < items.length - 1 || awaiting.has(key);
      const result = settleDocument(
        fields,
        item.outcome,
        item.reportedAt,
        stillAwaiting,
        heldUpdateOf(fields),
      );
      fields = { ...fields, ...result.fields };
      applyHeld = result.applyHeld;
    });
    const held = heldUpdateOf(fields);
    if (applyHeld && held) settled.push(documentFromUpdate(key, held, document, localOnly));
    else settled.push(fields);
  }
  // One upsert per chunk instead of a read and a write per document.
  await owners.documents.upsert(tx, settled, SETTLED_COLUMNS);
}

function heldUpdateOf(document: StoredDocument): MasterUpdateDto | null {
  return document.heldUpdate ? (JSON.parse(document.heldUpdate) as MasterUpdateDto) : null;
}
