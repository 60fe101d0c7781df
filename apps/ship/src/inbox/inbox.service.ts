import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  MessageKind,
  masterUpdateKey,
  verifyEnvelopeAsync,
  type EnvelopeBatchDto,
  type KeyRing,
  type MasterUpdateDto,
  type LocalOnlyFields,
} from '@offline-sync/sync-core';
import type { EntityManager } from 'typeorm';
import { DocumentEntity } from '../content/entities/document.entity';
import { loadDocuments } from '../content/load-documents';
import { upsertDocumentColumns } from '../content/upsert-document-columns';
import { ShipClock } from '../core/clock/ship-clock';
import { ShipConfig } from '../core/config/ship-config';
import { isoNow } from '../core/database/iso-now';
import { ShipDatabase } from '../core/database/ship-database.service';
import { SyncMetaService } from '../core/database/sync-meta.service';
import { holdUnverifiable } from '../core/kafka/hold-unverifiable';
import type { RejectedMessage } from '../core/kafka/rejected-message';
import { MASTER_KEY_RING } from '../core/signing/signing.tokens';
import { DeadLettersService } from '../dead-letters/dead-letters.service';
import { ShipMetrics } from '../metrics/ship-metrics.service';
import { OutboxService } from '../outbox/outbox.service';
import { InboxPositionsService } from './inbox-positions.service';
import { alreadyHolds } from './already-holds';
import { decideMasterUpdate } from './master-update-decision';

/** Document columns a held master update sets. */
const HELD_COLUMNS = ['held_version', 'held_update'];
/** The master's copy replaces every column of the local row but its key (documentFromUpdate). */
const MASTER_COPY_COLUMNS = [
  'type',
  'document_id',
  'locale',
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
  'created_at',
  'updated_at',
];

/**
 * Applies batches of master updates: each envelope is verified against the master's key first
 * (one this ship's configuration could verify later holds the partition: holdUnverifiable);
 * updates are applied by version, idempotently, never over a local edit that waits for the master
 * (the newest such update is held instead). Documents, dead letters and the new position are
 * committed in one transaction, then the transport commits the offsets.
 */
@Injectable()
export class InboxService {
  private readonly logger = new Logger(InboxService.name);

  constructor(
    private readonly config: ShipConfig,
    private readonly db: ShipDatabase,
    private readonly outbox: OutboxService,
    private readonly positions: InboxPositionsService,
    private readonly deadLetters: DeadLettersService,
    private readonly meta: SyncMetaService,
    private readonly metrics: ShipMetrics,
    private readonly clock: ShipClock,
    @Inject(MASTER_KEY_RING) private readonly keyRing: KeyRing,
  ) {}

  async applyBatch(batch: EnvelopeBatchDto, topic: string, partition: number): Promise<void> {
    const newest = new Map<string, MasterUpdateDto>();
    const rejected: RejectedMessage[] = [];
    // Checked on the thread pool, several at once; a batch-signed update (schema version 2) costs
    // one Ed25519 check per batch of 128, the rest only their Merkle proofs.
    const verdicts = await Promise.all(
      batch.messages.map((message) => verifyEnvelopeAsync(message.value, this.keyRing)),
    );
    for (const [i, message] of batch.messages.entries()) {
      const verdict = verdicts[i];
      holdUnverifiable(message, verdict);
      if (!verdict.ok) {
        rejected.push({ message, reason: verdict.reason, detail: verdict.detail });
        continue;
      }
      if (verdict.envelope.kind !== MessageKind.MasterUpdate) {
        rejected.push({
          message,
          reason: 'unexpected-kind',
          detail: `master-updates carries master-update envelopes, got "${verdict.envelope.kind}"`,
        });
        continue;
      }
      this.clock.observeMasterTime(verdict.envelope.timestamp);
      const update = verdict.envelope.payload;
      const key = masterUpdateKey(update.type, update.documentId, update.locale);
      const seen = newest.get(key);
      if (!seen || update.version >= seen.version) newest.set(key, update);
    }
    const last = batch.messages[batch.messages.length - 1].offset;

    const counts = await this.db.transaction(async (manager) => {
      await this.deadLetters.storeRejectedIn(manager, rejected, topic, partition);
      const result = await this.applyUpdates(manager, newest);
      await this.positions.advance(manager, topic, partition, last);
      await this.meta.set(manager, 'last_pull_at', isoNow());
      await this.clock.save(manager);
      return result;
    }, 'replayable');
    this.metrics.messages.inc({ status: 'received' }, batch.messages.length);
    this.metrics.messages.inc({ status: 'processed' }, counts.applied);
    this.metrics.messages.inc({ status: 'held' }, counts.held);
    this.metrics.messages.inc({ status: 'duplicate' }, counts.ignored);
    if (rejected.length > 0)
      this.metrics.messages.inc({ status: 'dead-lettered' }, rejected.length);
    this.logger.debug(
      `master-updates[${partition}] up to ${last}: ${counts.applied} applied, ${counts.held} held, ${counts.ignored} ignored, ${rejected.length} dead-lettered`,
    );
  }

  private async applyUpdates(
    manager: EntityManager,
    updates: Map<string, MasterUpdateDto>,
  ): Promise<{ applied: number; held: number; ignored: number }> {
    const keys = [...updates.keys()];
    const documents = await loadDocuments(manager, keys);
    const awaiting = await this.outbox.awaitingMaster(manager, keys);
    const toApply: DocumentEntity[] = [];
    const toHold: DocumentEntity[] = [];
    for (const [key, update] of updates) {
      const local = documents.get(key) ?? null;
      const decision = decideMasterUpdate(local, update, awaiting.has(key));
      if (decision === 'apply') {
        // Mostly the ship's own change coming back after its outcome settled it: nothing to write.
        const localOnly = this.config.contentTypes.localOnly;
        if (local && alreadyHolds(local, update, localOnly)) continue;
        toApply.push(documentFromUpdate(key, update, local, localOnly));
      } else if (decision === 'hold' && local) {
        toHold.push({ ...local, heldVersion: update.version, heldUpdate: JSON.stringify(update) });
      }
    }
    await upsertDocumentColumns(manager, toApply, MASTER_COPY_COLUMNS);
    // A ship's own edits come back as master updates while their outcome is on its way, so
    // holds are as common as applies: one statement per chunk, not one per document.
    await upsertDocumentColumns(manager, toHold, HELD_COLUMNS);
    const held = toHold.length;
    return { applied: toApply.length, held, ignored: updates.size - toApply.length - held };
  }
}

/**
 * The master's copy replaces the local one: data, version, deletion; nothing is pending any more.
 * The local-only fields of the local copy stay (the master never has them).
 */
export function documentFromUpdate(
  key: string,
  update: MasterUpdateDto,
  local: DocumentEntity | null,
  localOnly: LocalOnlyFields,
): DocumentEntity {
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
