import { Injectable, Logger } from '@nestjs/common';
import {
  MessageKind,
  masterUpdateKey,
  type EnvelopeBatchDto,
  type MasterUpdateDto,
} from '@offline-sync/sync-core';
import { ShipConfig } from '../core/config/ship-config';
import type { ShipDb } from '../core/database/ship-tables';
import { DocumentsRepository } from '../documents/documents.repository';
import type { DocumentColumn, StoredDocument } from '../documents/documents.table';
import { ShipMetrics } from '../metrics/ship-metrics.service';
import { OutboxChangesRepository } from '../outbox/outbox-changes.repository';
import { alreadyHolds } from './already-holds';
import { documentFromUpdate } from './document-from-update';
import { InboundPipeline, type InboundHandler } from './inbound-pipeline';
import { decideMasterUpdate } from './master-update-decision';

/** Document columns a held master update sets. */
const HELD_COLUMNS: readonly DocumentColumn[] = ['heldVersion', 'heldUpdate'];
/** The master's copy replaces every column of the local row but its key (documentFromUpdate). */
const MASTER_COPY_COLUMNS: readonly DocumentColumn[] = [
  'type',
  'documentId',
  'locale',
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
  'createdAt',
  'updatedAt',
];

/** What one batch of master updates did to the documents. */
interface AppliedUpdates {
  applied: number;
  held: number;
  ignored: number;
}

/**
 * Applies batches of master updates (through the InboundPipeline: verified, then applied with the
 * new position in one transaction): updates are applied by version, idempotently, never over a
 * local edit that waits for the master (the newest such update is held instead).
 */
@Injectable()
export class InboxService {
  private readonly logger = new Logger(InboxService.name);
  private readonly handler: InboundHandler<
    MessageKind.MasterUpdate,
    MasterUpdateDto,
    AppliedUpdates
  >;

  constructor(
    private readonly config: ShipConfig,
    private readonly pipeline: InboundPipeline,
    private readonly documents: DocumentsRepository,
    private readonly changes: OutboxChangesRepository,
    private readonly metrics: ShipMetrics,
  ) {
    this.handler = {
      kind: MessageKind.MasterUpdate,
      otherKind: (kind) => `master-updates carries master-update envelopes, got "${kind}"`,
      accept: (envelope) => [envelope.payload],
      apply: (tx, updates) => this.applyUpdates(tx, newestByDocument(updates)),
      stamp: { name: 'last_pull_at', when: () => true },
    };
  }

  async applyBatch(batch: EnvelopeBatchDto, topic: string, partition: number): Promise<void> {
    const { results, rejected } = await this.pipeline.run(batch, topic, partition, this.handler);
    const [counts] = results;
    this.metrics.messages.inc({ status: 'received' }, batch.messages.length);
    this.metrics.messages.inc({ status: 'processed' }, counts.applied);
    this.metrics.messages.inc({ status: 'held' }, counts.held);
    this.metrics.messages.inc({ status: 'duplicate' }, counts.ignored);
    const last = batch.messages[batch.messages.length - 1].offset;
    this.logger.debug(
      `master-updates[${partition}] up to ${last}: ${counts.applied} applied, ${counts.held} held, ${counts.ignored} ignored, ${rejected} dead-lettered`,
    );
  }

  private async applyUpdates(
    tx: ShipDb,
    updates: Map<string, MasterUpdateDto>,
  ): Promise<AppliedUpdates> {
    const keys = [...updates.keys()];
    const documents = await this.documents.load(tx, keys);
    const awaiting = await this.changes.awaitingMaster(tx, keys);
    const toApply: StoredDocument[] = [];
    const toHold: StoredDocument[] = [];
    const localOnly = this.config.contentTypes.localOnly;
    for (const [key, update] of updates) {
      const local = documents.get(key) ?? null;
      const decision = decideMasterUpdate(local, update, awaiting.has(key));
      if (decision === 'apply') {
        // Mostly the ship's own change coming back after its outcome settled it: nothing to write.
        if (local && alreadyHolds(local, update, localOnly)) continue;
        toApply.push(documentFromUpdate(key, update, local, localOnly));
      } else if (decision === 'hold' && local) {
        toHold.push({ ...local, heldVersion: update.version, heldUpdate: JSON.stringify(update) });
      }
    }
    await this.documents.upsert(tx, toApply, MASTER_COPY_COLUMNS);
    // A ship's own edits come back as master updates while their outcome is on its way, so
    // holds are as common as applies: one statement per chunk, not one per document.
    await this.documents.upsert(tx, toHold, HELD_COLUMNS);
    const held = toHold.length;
    return { applied: toApply.length, held, ignored: updates.size - toApply.length - held };
  }
}

/** The newest update of each document in the batch (by version; the later one of a tie). */
function newestByDocument(updates: readonly MasterUpdateDto[]): Map<string, MasterUpdateDto> {
  const newest = new Map<string, MasterUpdateDto>();
  for (const update of updates) {
    const key = masterUpdateKey(update.type, update.documentId, update.locale);
    const seen = newest.get(key);
    if (!seen || update.version >= seen.version) newest.set(key, update);
  }
  return newest;
}
