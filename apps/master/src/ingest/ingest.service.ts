import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  deadLetterSource,
  effectiveEditedAt,
  MessageKind,
  mayHoldUnstorableText,
  SENT_AT_HEADER,
  verifyEnvelope,
  type ChangeOutcomeDto,
  type EnvelopeOf,
  type KeyRing,
  type EnvelopeMessageDto,
  uuidV7,
  errorMessage,
} from '@offline-sync/sync-core';
import { DataSource, type EntityManager } from 'typeorm';
import { ConflictRecorder } from '../conflicts/conflict-recorder';
import { MasterConfig } from '../core/config/master-config';
import { SHIP_KEY_RING } from '../core/signing/signing.tokens';
import { DeadLettersService } from '../dead-letters/dead-letters.service';
import { refKey, type DocumentRef } from '../documents/document-key';
import { DocumentStore } from '../documents/document-store';
import type { DocumentState } from '../documents/document-state';
import { VersionWriter } from '../documents/version-writer';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutcomeSender } from '../outbox/outcome-sender';
import { ShipRegistryService } from '../registry/ship-registry.service';
import { RevisionLog, type RevisionQuery } from '../revisions/revision-log';
import {
  outcomeKey,
  planBatch,
  type BatchPlan,
  type IncomingChange,
  type PlanInput,
} from './change-batch-planner';
import { classifyIngestError, refusedBySqlState } from './ingest-error.classifier';
import { IngestMetrics, type IngestPath } from './ingest.metrics';
import { RecordedOutcomes } from './recorded-outcomes';
import { rejectedOutcome } from './rejected-outcome';

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

/** A verified ship-changes envelope and what its Kafka message says of it. */
interface AcceptedEnvelope {
  envelope: ShipChangesEnvelope;
  /** The ship's clock when it sent the envelope (SENT_AT_HEADER), when it says so. */
  sentAtMs: number | undefined;
  /** False when the message text certainly holds no character a node cannot store. */
  checkText: boolean;
}

/** What verification made of a batch's messages, before anything is written. */
interface VerifiedBatch {
  rejected: Rejection[];
  /** By envelopeKey: the first copy of each envelope the batch carries. */
  accepted: Map<string, AcceptedEnvelope>;
  /** Further copies of an envelope within the batch itself. */
  inBatchDuplicates: number;
}

/** What a batch's transaction wrote. */
interface BatchWrite {
  plan: BatchPlan | null;
  /** Envelopes processed by an earlier batch. */
  duplicates: number;
}

/** One slice under its ships' lock, as the steps of `apply` load it. */
interface Slice {
  manager: EntityManager;
  /** Stored high-water mark per ship (locked). */
  highWater: Map<string, number>;
  /** Envelopes not processed before. */
  fresh: AcceptedEnvelope[];
  /** Envelopes processed before: answered from their recorded outcomes. */
  repeated: ShipChangesEnvelope[];
  /** The fresh envelopes' changes, in the order the ships made them. */
  changes: IncomingChange[];
  /** Changes at or below their ship's high-water mark: possibly decided before. */
  belowMark: IncomingChange[];
  /** Recorded outcomes by outcomeKey, of belowMark and of the repeated envelopes' changes. */
  recorded: Map<string, ChangeOutcomeDto>;
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
    private readonly registry: ShipRegistryService,
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
    const batch = this.verifyAll(messages);
    const envelopes = [...batch.accepted.values()];
    const written = await this.writeBatch(batch.rejected, envelopes, onRejected);
    done();
    const duplicates = batch.inBatchDuplicates + written.duplicates;
    const verified = envelopes.map((e) => e.envelope);
    this.metrics.record(path, {
      processed: batch.accepted.size - written.duplicates,
      duplicates,
      rejected: batch.rejected,
      changes: verified.reduce((sum, e) => sum + e.payload.changes.length, 0),
      plan: written.plan,
    });
    this.logEnvelopes(path, verified, batch.rejected);
    if (written.plan !== null) this.relay.kick();
    return {
      envelopes: batch.accepted.size,
      duplicates,
      rejected: batch.rejected,
      plan: written.plan,
    };
  }

  /** Verifies every message of the batch: CPU work, done before any transaction opens. */
  private verifyAll(messages: EnvelopeMessageDto[]): VerifiedBatch {
    const batch: VerifiedBatch = { rejected: [], accepted: new Map(), inBatchDuplicates: 0 };
    for (const message of messages) this.admit(batch, message);
    return batch;
  }

  /** One message: rejected with its reason, counted as a repeat, or accepted. */
  private admit(batch: VerifiedBatch, message: EnvelopeMessageDto): void {
    const verdict = verifyEnvelope(message.value, this.keyRing);
    if (!verdict.ok) {
      batch.rejected.push({ message, reason: verdict.reason, detail: verdict.detail });
    } else if (verdict.envelope.kind !== MessageKind.ShipChanges) {
      batch.rejected.push({
        message,
        reason: 'unexpected-kind',
        detail: `ship-updates carries ship-changes envelopes, got "${verdict.envelope.kind}"`,
      });
    } else if (message.key !== verdict.envelope.sender) {
      // A ship's order holds per Kafka key: an envelope under another key could overtake it.
      batch.rejected.push({
        message,
        reason: 'sender-mismatch',
        detail: `Kafka key '${message.key ?? ''}' is not the envelope's sender '${verdict.envelope.sender}'`,
      });
    } else {
      const key = envelopeKey(verdict.envelope);
      if (batch.accepted.has(key)) batch.inBatchDuplicates += 1;
      else
        batch.accepted.set(key, {
          envelope: verdict.envelope,
          sentAtMs: sentAtOf(message),
          checkText: mayHoldUnstorableText(message.raw),
        });
    }
  }

  /** The batch's one transaction: its rejections stored, its envelopes decided and written. */
  private async writeBatch(
    rejected: Rejection[],
    envelopes: AcceptedEnvelope[],
    onRejected: (rejection: Rejection, manager: EntityManager) => Promise<void>,
  ): Promise<BatchWrite> {
    // Filled inside the callback: what it counted stays counted should the commit itself fail.
    const written: BatchWrite = { plan: null, duplicates: 0 };
    const receivedAtMs = Date.now();
    try {
      await this.dataSource.transaction(async (manager) => {
        for (const rejection of rejected) await onRejected(rejection, manager);
        if (envelopes.length > 0) {
          const applied = await this.apply(manager, envelopes, receivedAtMs);
          written.plan = applied.plan;
          written.duplicates += applied.duplicates;
        }
      });
    } catch (error) {
      written.plan = await this.retryRefused(error, rejected, envelopes, receivedAtMs);
    }
    return written;
  }

  /**
   * One envelope the database refuses: its changes are tried one by one, so only the culprit is
   * rejected. Several: the transport re-runs them one at a time first. Anything else is thrown.
   */
  private async retryRefused(
    error: unknown,
    rejected: Rejection[],
    envelopes: AcceptedEnvelope[],
    receivedAtMs: number,
  ): Promise<BatchPlan | null> {
    const refused = refusedBySqlState(error);
    if (refused === undefined || envelopes.length !== 1 || rejected.length > 0) {
      throw classifyIngestError(error);
    }
    try {
      return await this.applyChangeByChange(envelopes[0], receivedAtMs);
    } catch (fallbackError) {
      throw classifyIngestError(fallbackError);
    }
  }

  /**
   * The slow path for an envelope the database refused: each change in a savepoint of its own,
   * and a change the database refuses is rejected with the database's reason while the others
   * apply. Verdicts stay per change whatever the refusal (SPEC §3).
   */
  private async applyChangeByChange(
    accepted: AcceptedEnvelope,
    receivedAtMs: number,
  ): Promise<BatchPlan | null> {
    const { envelope } = accepted;
    return this.dataSource.transaction(async (manager) => {
      let last: BatchPlan | null = null;
      for (const [i, change] of envelope.payload.changes.entries()) {
        const single: AcceptedEnvelope = {
          ...accepted,
          envelope: { ...envelope, payload: { changes: [change] } },
        };
        await manager.query(`SAVEPOINT change_${i}`);
        try {
          last = (await this.apply(manager, [single], receivedAtMs, false)).plan ?? last;
          await manager.query(`RELEASE SAVEPOINT change_${i}`);
        } catch (error) {
          const state = refusedBySqlState(error);
          if (state === undefined) throw error;
          await manager.query(`ROLLBACK TO SAVEPOINT change_${i}`);
          const outcome = rejectedOutcome(
            change,
            'database-refused',
            `${state}: ${errorMessage(error)}`,
          );
          this.logger.warn(`Change ${change.changeId} of ${envelope.sender}: ${outcome.reason}`);
          await this.outcomes.record(manager, [{ shipId: envelope.sender, outcome }]);
          await this.outcomeSender.queue(manager, new Map([[envelope.sender, [outcome]]]));
          await this.raiseHighWater(manager, new Map([[envelope.sender, change.seq]]));
        }
      }
      await this.markProcessed(manager, [envelope]);
      return last;
    });
  }

  /**
   * Answers the changes of a ship-changes envelope given up on as a dead letter: each one without
   * an outcome yet is rejected with the letter's reason, so no change a ship sent is left without
   * a verdict. Only an envelope whose signature holds is answered (its sender is known for sure).
   */
  async rejectExhausted(
    value: unknown,
    reason: string,
    detail: string,
    manager: EntityManager,
  ): Promise<void> {
    const verdict = verifyEnvelope(value, this.keyRing);
    if (!verdict.ok || verdict.envelope.kind !== MessageKind.ShipChanges) return;
    const { sender, payload } = verdict.envelope;
    const recorded = await this.outcomes.load(
      manager,
      payload.changes.map((change) => ({ shipId: sender, change })),
    );
    const answers: ChangeOutcomeDto[] = [];
    const decided: Array<{ shipId: string; outcome: ChangeOutcomeDto }> = [];
    for (const change of payload.changes) {
      const known = recorded.get(outcomeKey(sender, change.changeId));
      if (known) {
        answers.push(known);
        continue;
      }
      const outcome = rejectedOutcome(change, 'dead-lettered', `${reason}: ${detail}`);
      answers.push(outcome);
      decided.push({ shipId: sender, outcome });
    }
    await this.outcomes.record(manager, decided);
    await this.outcomeSender.queue(manager, new Map([[sender, answers]]));
    const last = payload.changes[payload.changes.length - 1].seq;
    await manager.query(
      `INSERT INTO ship_sequences (ship_id, high_water) VALUES ($1, $2)
       ON CONFLICT (ship_id) DO UPDATE SET high_water = GREATEST(ship_sequences.high_water, $2),
         updated_at = now()`,
      [sender, last],
    );
    this.logger.warn(
      `Dead letter of ${sender} given up on: ${decided.length} change(s) answered rejected (${reason}: ${detail})`,
    );
    this.relay.kick();
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
    accepted: AcceptedEnvelope[],
    receivedAtMs: number,
    recordEnvelopes = true,
  ): Promise<BatchWrite> {
    const slice = await this.openSlice(manager, accepted, receivedAtMs);
    const resent = answersFor(slice.repeated, slice.recorded);
    if (slice.changes.length === 0) {
      await this.outcomeSender.queue(manager, resent);
      return { plan: null, duplicates: slice.repeated.length };
    }
    const plan = planBatch(await this.planInput(slice));
    await this.writePlan(slice, plan, resent, recordEnvelopes);
    this.logger.debug(
      `Batch of ${slice.fresh.length} envelope(s): ${plan.counts.applied} applied, ${plan.counts.conflicts} conflict(s), ${plan.counts.rejected} rejected, ${plan.counts.redelivered} redelivered`,
    );
    return { plan, duplicates: slice.repeated.length };
  }

  /**
   * Locks the slice's ships' high-water rows, then tells envelopes and changes seen before from
   * new ones and loads the outcomes recorded for those.
   */
  private async openSlice(
    manager: EntityManager,
    accepted: AcceptedEnvelope[],
    receivedAtMs: number,
  ): Promise<Slice> {
    const envelopes = accepted.map((a) => a.envelope);
    const highWater = await this.lockHighWater(manager, envelopes);
    const processed = await this.loadProcessed(manager, envelopes);
    const fresh = accepted.filter((a) => !processed.has(envelopeKey(a.envelope)));
    const repeated = envelopes.filter((e) => processed.has(envelopeKey(e)));
    const clockLeads = await this.registry.clockLeads(manager, [
      ...new Set(fresh.map((a) => a.envelope.sender)),
    ]);
    const changes = this.incomingChanges(fresh, receivedAtMs, clockLeads);
    // Only a change at or below its ship's mark can have been decided before: look those up by id
    // (a dead letter retried after later changes went through is below the mark yet new). The
    // changes of an envelope processed before are answered from what was recorded for them.
    const belowMark = changes.filter((c) => c.change.seq <= (highWater.get(c.shipId) ?? 0));
    const recorded = await this.outcomes.load(manager, [
      ...belowMark,
      ...repeated.flatMap((e) => e.payload.changes.map((change) => ({ shipId: e.sender, change }))),
    ]);
    return { manager, highWater, fresh, repeated, changes, belowMark, recorded };
  }

  /** Creates missing high-water rows and locks them all, in ship order (no deadlock). */
  private async lockHighWater(
    manager: EntityManager,
    envelopes: ShipChangesEnvelope[],
  ): Promise<Map<string, number>> {
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
    return new Map(sequenceRows.map((r) => [r.ship_id, Number(r.high_water)]));
  }

  /** The envelopeKeys of the envelopes processed before. */
  private async loadProcessed(
    manager: EntityManager,
    envelopes: ShipChangesEnvelope[],
  ): Promise<Set<string>> {
    const processedRows = await manager.query<Array<{ sender: string; message_id: string }>>(
      `SELECT p.sender, p.message_id FROM processed_envelopes p
         JOIN unnest($1::text[], $2::uuid[]) AS k(sender, message_id)
           ON p.sender = k.sender AND p.message_id = k.message_id`,
      [envelopes.map((e) => e.sender), envelopes.map((e) => e.messageId)],
    );
    return new Set(processedRows.map((r) => `${r.sender}/${r.message_id}`));
  }

  /**
   * The new envelopes' changes in order, each with the edit time the rules use (bounded by what
   * the envelope and the ship's recent heartbeats show of its clock).
   */
  private incomingChanges(
    fresh: AcceptedEnvelope[],
    receivedAtMs: number,
    clockLeads: Map<string, number>,
  ): IncomingChange[] {
    const tolerance = this.config.sync.clockToleranceMs;
    const changes: IncomingChange[] = [];
    for (const { envelope, sentAtMs, checkText } of fresh) {
      const sealed = {
        sealedAt: envelope.timestamp,
        sentAtMs,
        heartbeatLeadMs: clockLeads.get(envelope.sender),
      };
      for (const change of envelope.payload.changes) {
        changes.push({
          shipId: envelope.sender,
          change,
          editedAt: effectiveEditedAt(change.editedAt, sealed, receivedAtMs, tolerance),
          checkText,
        });
      }
    }
    return changes;
  }

  /** Locks the slice's documents and loads what the planner decides their changes against. */
  private async planInput(slice: Slice): Promise<PlanInput> {
    const { manager, changes, recorded } = slice;
    // A change below the mark that was never decided may be older than one already accepted.
    const newestAccepted = await this.outcomes.newestAccepted(
      manager,
      slice.belowMark
        .filter((c) => !recorded.has(outcomeKey(c.shipId, c.change.changeId)))
        .map((c) => ({ shipId: c.shipId, ...refOf(c.change) })),
    );
    const states = await this.documents.lockAndLoad(
      manager,
      uniqueRefs(changes.map((c) => c.change)),
    );
    const revisions = await this.revisions.loadAfter(manager, revisionQueries(changes, states));
    const openConflicts = await this.conflicts.loadOpen(
      manager,
      changes
        .filter((c) => states.has(refKey(c.change)))
        .map((c) => ({ ...refOf(c.change), shipId: c.shipId })),
    );
    return {
      changes,
      highWater: slice.highWater,
      recorded,
      states,
      revisions,
      openConflicts,
      newestAccepted,
      contentTypes: this.config.contentTypes,
      newConflictId: () => uuidV7(),
    };
  }

  /** Writes what the plan decided, with the re-sent answers queued after the new ones. */
  private async writePlan(
    slice: Slice,
    plan: BatchPlan,
    resent: ReadonlyMap<string, ChangeOutcomeDto[]>,
    recordEnvelopes: boolean,
  ): Promise<void> {
    const { manager } = slice;
    await this.versions.write(manager, plan.versions);
    await this.conflicts.save(manager, plan.conflicts);
    await this.outcomes.record(manager, plan.decided);
    for (const [shipId, outcomes] of resent) {
      plan.outbound.set(shipId, [...(plan.outbound.get(shipId) ?? []), ...outcomes]);
    }
    await this.outcomeSender.queue(manager, plan.outbound);
    if (recordEnvelopes)
      await this.markProcessed(
        manager,
        slice.fresh.map((a) => a.envelope),
      );
    await this.raiseHighWater(manager, plan.highWater);
  }

  private async markProcessed(
    manager: EntityManager,
    envelopes: ShipChangesEnvelope[],
  ): Promise<void> {
    if (envelopes.length === 0) return;
    await manager.query(
      `INSERT INTO processed_envelopes (message_id, sender, kind, change_count, sent_at)
       SELECT x.message_id, x.sender, x.kind, x.change_count, x.sent_at
         FROM jsonb_to_recordset($1::jsonb) AS x(message_id uuid, sender text, kind text,
              change_count int, sent_at timestamptz)
       ON CONFLICT (sender, message_id) DO NOTHING`,
      [
        JSON.stringify(
          envelopes.map((e) => ({
            message_id: e.messageId,
            sender: e.sender,
            kind: e.kind,
            change_count: e.payload.changes.length,
            sent_at: e.timestamp,
          })),
        ),
      ],
    );
  }

  private async raiseHighWater(
    manager: EntityManager,
    marks: ReadonlyMap<string, number>,
  ): Promise<void> {
    if (marks.size === 0) return;
    await manager.query(
      `UPDATE ship_sequences s SET high_water = GREATEST(s.high_water, x.high_water), updated_at = now()
         FROM unnest($1::text[], $2::bigint[]) AS x(ship_id, high_water)
        WHERE s.ship_id = x.ship_id`,
      [[...marks.keys()], [...marks.values()]],
    );
  }
}

/** The sender's clock at send time (ms), when the message carries a readable one. */
function sentAtOf(message: EnvelopeMessageDto): number | undefined {
  const header = message.headers?.[SENT_AT_HEADER];
  const ms = header === undefined ? Number.NaN : Number(header);
  return Number.isSafeInteger(ms) && ms > 0 ? ms : undefined;
}

/** Envelopes are told apart per sender: no ship can make another's envelope a duplicate. */
function envelopeKey(envelope: { sender: string; messageId: string }): string {
  return `${envelope.sender}/${envelope.messageId}`;
}

/** The recorded outcomes of re-sent envelopes' changes, per ship in change order. */
function answersFor(
  envelopes: ShipChangesEnvelope[],
  recorded: ReadonlyMap<string, ChangeOutcomeDto>,
): Map<string, ChangeOutcomeDto[]> {
  const byShip = new Map<string, ChangeOutcomeDto[]>();
  for (const envelope of envelopes) {
    for (const change of envelope.payload.changes) {
      const outcome = recorded.get(outcomeKey(envelope.sender, change.changeId));
      if (!outcome) continue;
      const list = byShip.get(envelope.sender) ?? [];
      list.push(outcome);
      byShip.set(envelope.sender, list);
    }
  }
  return byShip;
}

/** Per document the master has: its revisions after the lowest base version the batch names. */
function revisionQueries(
  changes: IncomingChange[],
  states: ReadonlyMap<string, DocumentState>,
): RevisionQuery[] {
  const lowestBase = new Map<string, number>();
  for (const { change } of changes) {
    const key = refKey(change);
    lowestBase.set(key, Math.min(lowestBase.get(key) ?? Infinity, change.baseVersion));
  }
  const queries: RevisionQuery[] = [];
  for (const [key, state] of states) {
    const after = lowestBase.get(key) ?? 0;
    if (state.version > after) queries.push({ ...state, afterVersion: after });
  }
  return queries;
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
