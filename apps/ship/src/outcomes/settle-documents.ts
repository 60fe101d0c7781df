import type { LocalOnlyFields, MasterUpdateDto } from '@offline-sync/sync-core';
import type { EntityManager } from 'typeorm';
import { DocumentEntity } from '../content/entities/document.entity';
import { loadDocuments } from '../content/load-documents';
import { upsertDocumentColumns } from '../content/upsert-document-columns';
import { documentFromUpdate } from '../inbox/inbox.service';
import type { OutboxService } from '../outbox/outbox.service';
import { settleDocument, type SettledOutcome } from './settle-document';

/** Document columns an outcome (or a held update it releases) may change. */
const SETTLED_COLUMNS = [
  'data',
  'version',
  'deleted',
  'sync_state',
  'conflict_id',
  'conflict_version',
  'conflict_at',
  'reason',
  'held_version',
  'held_update',
  'updated_at',
];

export interface DocumentOutcome {
  outcome: SettledOutcome;
  /** When the outcome was decided (the master's envelope time, or the ship's own for a refusal). */
  reportedAt: string;
}

/**
 * Moves each document's sync state by the outcomes of its changes, given in seq order per
 * document key. The change rows must already carry their new status, so that "is anything of
 * this document still waiting for the master" sees them. Used for the master's outcomes and for
 * changes the ship itself refuses to send (they fail the wire contract): either way the document
 * shows what became of the crew's edit.
 */
export async function settleDocuments(
  manager: EntityManager,
  outbox: OutboxService,
  localOnly: LocalOnlyFields,
  byDocument: ReadonlyMap<string, readonly DocumentOutcome[]>,
): Promise<void> {
  if (byDocument.size === 0) return;
  const awaiting = await outbox.awaitingMaster(manager, [...byDocument.keys()]);
  const documents = await loadDocuments(manager, [...byDocument.keys()]);
  const settled: DocumentEntity[] = [];
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
  await upsertDocumentColumns(manager, settled, SETTLED_COLUMNS);
}

function heldUpdateOf(document: DocumentEntity): MasterUpdateDto | null {
  return document.heldUpdate ? (JSON.parse(document.heldUpdate) as MasterUpdateDto) : null;
}
