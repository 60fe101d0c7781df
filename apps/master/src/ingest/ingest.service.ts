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
import { VersionWriter } from '../documents/version-writer';
import { OutboxRelay } from '../outbox/outbox-relay';
import { OutcomeSender } from '../outbox/outcome-sender';
import { RevisionLog, type RevisionQuery } from '../revisions/revision-log';
import { outcomeKey, planBatch, type BatchPlan, type IncomingChange } from './change-batch-planner';
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
    const accepted = new Map<string, AcceptedEnvelope>();
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
      } else if (message.key !== verdict.envelope.sender) {
        // A ship's order holds per Kafka key: an envelope under another key could overtake it.
        rejected.push({
          message,
          reason: 'sender-mismatch',
          detail: `Kafka key '${message.key ?? ''}' is not the envelope's sender '${verdict.envelope.sender}'`,
        });
      } else {
        const key = envelopeKey(verdict.envelope);
        if (accepted.has(key)) duplicates += 1;
        else
          accepted.set(key, {
            envelope: verdict.envelope,
            sentAtMs: sentAtOf(message),
            checkText: mayHoldUnstorableText(message.raw),
          });
      }
    }

    const inBatchDuplicates = duplicates;
    const envelopes = [...accepted.values()];
    // A holder, not a `let`: TypeScript does not see assignments made inside the callback.
    const result: { plan: BatchPlan | null } = { plan: null };
    const receivedAtMs = Date.now();
    try {
      await this.dataSource.transaction(async (manager) => {
        for (const rejection of rejected) await onRejected(rejection, manager);
        if (envelopes.length > 0) {
          const applied = await this.apply(manager, envelopes, receivedAtMs);
          result.plan = applied.plan;
          duplicates += applied.duplicates;
        }
      });
    } catch (error) {
      const refused = refusedBySqlState(error);
      // One envelope the database refuses: its changes are tried one by one, so only the
      // culprit is rejected. Several: the transport re-runs them one at a time first.
      if (refused === undefined || envelopes.length !== 1 || rejected.length > 0) {
        throw classifyIngestError(error);
      }
      try {
        result.plan = await this.applyChangeByChange(envelopes[0], receivedAtMs);
      } catch (fallbackError) {
        throw classifyIngestError(fallbackError);
      }
    }
    done();
    const verified = envelopes.map((e) => e.envelope);
    this.metrics.record(path, {
      processed: accepted.size - (duplicates - inBatchDuplicates),
      duplicates,
      rejected,
      changes: verified.reduce((sum, e) => sum + e.payload.changes.length, 0),
      plan: result.plan,
    });
    this.logEnvelopes(path, verified, rejected);
    if (result.plan !== null) this.relay.kick();
    return { envelopes: accepted.size, duplicates, rejected, plan: result.plan };
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
  ): Promise<{ plan: BatchPlan | null; duplicates: number }> {
    const envelopes = accepted.map((a) => a.envelope);
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

    const processedRows = await manager.query<Array<{ sender: string; message_id: string }>>(
      `SELECT p.sender, p.message_id FROM processed_envelopes p
         JOIN unnest($1::text[], $2::uuid[]) AS k(sender, message_id)
           ON p.sender = k.sender AND p.message_id = k.message_id`,
      [envelopes.map((e) => e.sender), envelopes.map((e) => e.messageId)],
    );
    const processed = new Set(processedRows.map((r) => `${r.sender}/${r.message_id}`));
    const fresh = accepted.filter((a) => !processed.has(envelopeKey(a.envelope)));
    const repeated = envelopes.filter((e) => processed.has(envelopeKey(e)));

    const changes: IncomingChange[] = fresh.flatMap(({ envelope, sentAtMs, checkText }) =>
      envelope.payload.changes.map((change) => ({
        shipId: envelope.sender,
        change,
        editedAt: effectiveEditedAt(
          change.editedAt,
          { sealedAt: envelope.timestamp, sentAtMs },
          receivedAtMs,
          this.config.sync.clockToleranceMs,
        ),
        checkText,
      })),
    );
    // Only a change at or below its ship's mark can have been decided before: look those up by id
    // (a dead letter retried after later changes went through is below the mark yet new). The
    // changes of an envelope processed before are answered from what was recorded for them.
    const belowMark = changes.filter((c) => c.change.seq <= (highWater.get(c.shipId) ?? 0));
    const recorded = await this.outcomes.load(manager, [
      ...belowMark,
      ...repeated.flatMap((e) => e.payload.changes.map((change) => ({ shipId: e.sender, change }))),
    ]);
    const resent = answersFor(repeated, recorded);
    if (changes.length === 0) {
      await this.outcomeSender.queue(manager, resent);
      return { plan: null, duplicates: repeated.length };
    }
    // A change below the mark that was never decided may be older than one already accepted.
    const newestAccepted = await this.outcomes.newestAccepted(
      manager,
      belowMark
        .filter((c) => !recorded.has(outcomeKey(c.shipId, c.change.changeId)))
        .map((c) => ({ shipId: c.shipId, ...refOf(c.change) })),
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
      newestAccepted,
      contentTypes: this.config.contentTypes,
      newConflictId: () => uuidV7(),
    });

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
        fresh.map((a) => a.envelope),
      );
    await this.raiseHighWater(manager, plan.highWater);
    this.logger.debug(
      `Batch of ${fresh.length} envelope(s): ${plan.counts.applied} applied, ${plan.counts.conflicts} conflict(s), ${plan.counts.rejected} rejected, ${plan.counts.redelivered} redelivered`,
    );
    return { plan, duplicates: repeated.length };
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
