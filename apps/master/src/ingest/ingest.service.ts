import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  deadLetterSource,
  MessageKind,
  verifyEnvelope,
  type EnvelopeOf,
  type KeyRing,
  type EnvelopeMessageDto,
  uuidV7,
} from '@offline-sync/sync-core';
import { DataSource, type EntityManager } from 'typeorm';
import { ConflictRecorder } from '../conflicts/conflict-recorder';
import { MasterConfig } from '../core/config/master-config';
import { SHIP_KEY_RING } from '../core/signing/signing.tokens';
import { DeadLettersService } from '../dead-letters/dead-letters.service';
import { refKey, type DocumentRef } from '../documents/document-key';
import { DocumentStore } from '../documents/document-store';
import { VersionWriter } from '../documents/version-writer';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutcomeSender } from '../outbox/outcome-sender';
import { RevisionLog, type RevisionQuery } from '../revisions/revision-log';
import { planBatch, type BatchPlan, type IncomingChange } from './change-batch-planner';
import { classifyIngestError } from './ingest-error.classifier';
import { IngestMetrics, type IngestPath } from './ingest.metrics';
import { RecordedOutcomes } from './recorded-outcomes';

type ShipChangesEnvelope = EnvelopeOf<MessageKind.ShipChanges>;

export interface MessageSource {
  topic: string;
  partition: number;
}

export interface Rejection {
  message: EnvelopeMessageDto;
  reason: string;
  detail: string;
}

export interface IngestSummary {
  envelopes: number;
  duplicates: number;
  rejected: Rejection[];
  plan: BatchPlan | null;
}

/**
 * Applies ship-updates a slice of a fetch at a time (at most 20 envelopes, see master.app.ts):
 * every envelope is verified first (outside the transaction: it is CPU work), then the whole slice
 * is decided and written in ONE transaction with set-based statements, and only then does the
 * transport commit the offsets.
 *
 * Exactly-once effect under redelivery and with several replicas: the ships' high-water rows are
 * locked first (a replica still finishing a batch of a partition that moved serialises with the
 * new owner), then processed envelope ids and recorded outcomes are read under that lock.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deadLetters: DeadLettersService,
    @Inject(SHIP_KEY_RING) private readonly keyRing: KeyRing,
    private readonly documents: DocumentStore,
    private readonly revisions: RevisionLog,
    private readonly versions: VersionWriter,
    private readonly conflicts: ConflictRecorder,
    private readonly outcomes: RecordedOutcomes,
    private readonly outcomeSender: OutcomeSender,
    private readonly relay: OutboxRelay,
    private readonly metrics: IngestMetrics,
    private readonly config: MasterConfig,
  ) {}

  /** The Kafka path: rejected envelopes become dead letters in the batch's transaction. */
  async ingestBatch(messages: EnvelopeMessageDto[], source: MessageSource): Promise<IngestSummary> {
    return this.ingest('kafka', messages, (rejection, manager) =>
      this.deadLetters.store(
        {
          ...deadLetterSource(source.topic, source.partition, rejection.message),
          reason: rejection.reason,
          detail: rejection.detail,
        },
        manager,
      ),
    );
  }

  /** The dead-letter retry path: the same ingest, rejections reported instead of stored. */
  async replay(message: EnvelopeMessageDto): Promise<IngestSummary> {
    return this.ingest('replay', [message], () => Promise.resolve());
  }

  private async ingest(
    path: IngestPath,
    messages: EnvelopeMessageDto[],
    onRejected: (rejection: Rejection, manager: EntityManager) => Promise<void>,
  ): Promise<IngestSummary> {
    const done = this.metrics.startBatch();
    const rejected: Rejection[] = [];
    const accepted = new Map<string, ShipChangesEnvelope>();
    let duplicates = 0;
    for (const message of messages) {
      const verdict = verifyEnvelope(message.value, this.keyRing);
      if (!verdict.ok) {
        rejected.push({ message, reason: verdict.reason, detail: verdict.detail });
      } else if (verdict.envelope.kind !== MessageKind.ShipChanges) {
        rejected.push({
          message,
          reason: 'unexpected-kind',
          detail: `ship-updates carries ship-changes envelopes, got "${verdict.envelope.kind}"`,
        });
      } else if (accepted.has(verdict.envelope.messageId)) {
        duplicates += 1;
      } else {
        accepted.set(verdict.envelope.messageId, verdict.envelope);
      }
    }

    const inBatchDuplicates = duplicates;
    // A holder, not a `let`: TypeScript does not see assignments made inside the callback.
    const result: { plan: BatchPlan | null } = { plan: null };
    try {
      await this.dataSource.transaction(async (manager) => {
        for (const rejection of rejected) await onRejected(rejection, manager);
        if (accepted.size > 0) {
          const applied = await this.apply(manager, [...accepted.values()]);
          result.plan = applied.plan;
          duplicates += applied.duplicates;
        }
      });
    } catch (error) {
      throw classifyIngestError(error);
    }
    done();
    const envelopes = [...accepted.values()];
    this.metrics.record(path, {
      processed: accepted.size - (duplicates - inBatchDuplicates),
      duplicates,
      rejected,
      changes: envelopes.reduce((sum, e) => sum + e.payload.changes.length, 0),
      plan: result.plan,
    });
    this.logEnvelopes(path, envelopes, rejected);
    if (result.plan !== null) this.relay.kick();
    return { envelopes: accepted.size, duplicates, rejected, plan: result.plan };
  }

  /** One line per batch naming every message and ship, so logs can be joined by message id. */
  private logEnvelopes(
    path: IngestPath,
    envelopes: ShipChangesEnvelope[],
    rejected: Rejection[],
  ): void {
    this.logger.log({
      msg: 'ship-updates batch committed',
      path,
      messageIds: envelopes.map((e) => e.messageId),
      shipIds: [...new Set(envelopes.map((e) => e.sender))],
      rejectedMessageIds: rejected.map((r) => stringField(r.message.value, 'messageId') ?? null),
    });
  }

  private async apply(
    manager: EntityManager,
    envelopes: ShipChangesEnvelope[],
  ): Promise<{ plan: BatchPlan | null; duplicates: number }> {
    const ships = [...new Set(envelopes.map((e) => e.sender))].sort();
    await manager.query(
      `INSERT INTO ship_sequences (ship_id) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT DO NOTHING`,
      [ships],
    );
    const sequenceRows = await manager.query<Array<{ ship_id: string; high_water: string }>>(
      `SELECT ship_id, high_water FROM ship_sequences WHERE ship_id = ANY($1::text[])
        ORDER BY ship_id FOR UPDATE`,
      [ships],
    );
    const highWater = new Map(sequenceRows.map((r) => [r.ship_id, Number(r.high_water)]));

    const processedRows = await manager.query<Array<{ message_id: string }>>(
      `SELECT message_id FROM processed_envelopes WHERE message_id = ANY($1::uuid[])`,
      [envelopes.map((e) => e.messageId)],
    );
    const processed = new Set(processedRows.map((r) => r.message_id));
    const fresh = envelopes.filter((e) => !processed.has(e.messageId));
    if (fresh.length === 0) return { plan: null, duplicates: envelopes.length };

    const changes: IncomingChange[] = fresh.flatMap((e) =>
      e.payload.changes.map((change) => ({ shipId: e.sender, change })),
    );
    // Only a change at or below its ship's mark can have been decided before: look those up by id
    // (a dead letter retried after later changes went through is below the mark yet new).
    const recorded = await this.outcomes.load(
      manager,
      changes.filter((c) => c.change.seq <= (highWater.get(c.shipId) ?? 0)),
    );

    const refs = uniqueRefs(changes.map((c) => c.change));
    const states = await this.documents.lockAndLoad(manager, refs);
    const lowestBase = new Map<string, number>();
    for (const { change } of changes) {
      const key = refKey(change);
      lowestBase.set(key, Math.min(lowestBase.get(key) ?? Infinity, change.baseVersion));
    }
    const revisionQueries: RevisionQuery[] = [];
    for (const [key, state] of states) {
      const after = lowestBase.get(key) ?? 0;
      if (state.version > after) revisionQueries.push({ ...state, afterVersion: after });
    }
    const revisions = await this.revisions.loadAfter(manager, revisionQueries);
    const openConflicts = await this.conflicts.loadOpen(
      manager,
      changes
        .filter((c) => states.has(refKey(c.change)))
        .map((c) => ({ ...refOf(c.change), shipId: c.shipId })),
    );

    const plan = planBatch({
      changes,
      highWater,
      recorded,
      states,
      revisions,
      openConflicts,
      contentTypes: this.config.contentTypes,
      newConflictId: () => uuidV7(),
    });

    await this.versions.write(manager, plan.versions);
    await this.conflicts.save(manager, plan.conflicts);
    await this.outcomes.record(manager, plan.decided);
    await this.outcomeSender.queue(manager, plan.outbound);
    await manager.query(
      `INSERT INTO processed_envelopes (message_id, sender, kind, change_count, sent_at)
       SELECT x.message_id, x.sender, x.kind, x.change_count, x.sent_at
         FROM jsonb_to_recordset($1::jsonb) AS x(message_id uuid, sender text, kind text,
              change_count int, sent_at timestamptz)
       ON CONFLICT (message_id) DO NOTHING`,
      [
        JSON.stringify(
          fresh.map((e) => ({
            message_id: e.messageId,
            sender: e.sender,
            kind: e.kind,
            change_count: e.payload.changes.length,
            sent_at: e.timestamp,
          })),
        ),
      ],
    );
    if (plan.highWater.size > 0) {
      await manager.query(
        `UPDATE ship_sequences s SET high_water = GREATEST(s.high_water, x.high_water), updated_at = now()
           FROM unnest($1::text[], $2::bigint[]) AS x(ship_id, high_water)
          WHERE s.ship_id = x.ship_id`,
        [[...plan.highWater.keys()], [...plan.highWater.values()]],
      );
    }
    this.logger.debug(
      `Batch of ${fresh.length} envelope(s): ${plan.counts.applied} applied, ${plan.counts.conflicts} conflict(s), ${plan.counts.rejected} rejected, ${plan.counts.redelivered} redelivered`,
    );
    return { plan, duplicates: envelopes.length - fresh.length };
  }
}

function refOf(change: DocumentRef): DocumentRef {
  return { type: change.type, documentId: change.documentId, locale: change.locale };
}

function uniqueRefs(changes: DocumentRef[]): DocumentRef[] {
  const byKey = new Map<string, DocumentRef>();
  for (const change of changes) byKey.set(refKey(change), refOf(change));
  return [...byKey.values()];
}

function stringField(value: unknown, field: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const found = (value as Record<string, unknown>)[field];
  return typeof found === 'string' ? found : undefined;
}
