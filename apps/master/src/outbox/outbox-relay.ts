import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  backoffDelay,
  MASTER_SENDER,
  inCanonicalKeyOrder,
  isMessageTooLargeError,
  MessageKind,
  signEnvelopeAsync,
  signEnvelopeBatchEncodedAsync,
  type Author,
  type ChangeOutcomesPayloadDto,
  type EnvelopeDraft,
  type EnvelopePublisher,
  type LocalOnlyFields,
  type MasterUpdateDto,
  errorMessage,
} from '@offline-sync/sync-core';
import type { KeyObject } from 'node:crypto';
import { DataSource, type QueryRunner } from 'typeorm';
import { MasterConfig } from '../core/config/master-config';
import { MASTER_SIGNING_KEY } from '../core/signing/signing.tokens';
import type { ReplayResult } from '../dead-letters/dead-letter-replayers';
import { DeadLettersService } from '../dead-letters/dead-letters.service';
import { UNSENT_PARTITION } from '../dead-letters/entities/dead-letter.entity';
import type { MasterUpdateRef } from '../documents/version-writer';
import type { OutboxKind } from './entities/outbox-message.entity';
import { MASTER_PUBLISHER } from './master-publisher.provider';
import { OutcomeTopics } from './outcome-topics';
import { planRequests, requestBytes } from './request-plan';

interface PendingRow {
  id: string;
  kind: 'master-update' | 'change-outcomes';
  message_id: string;
  topic: string;
  key: string;
  payload: Record<string, unknown>;
  created_at: Date;
  /** For master-update rows: the revision the row points at. */
  rev_data: Record<string, unknown> | null;
  rev_deleted: boolean | null;
  rev_author: string | null;
  rev_at: Date | null;
  /** For master-update rows: conflicts open on the document at that version, if any. */
  open_conflicts: string[] | null;
}

/** A row the relay can never send, and why. */
interface Unsendable {
  row: PendingRow;
  reason: 'too-large' | 'no-revision';
  detail: string;
}

/** A topic whose last send failed: the relay leaves its rows alone until `retryAt`. */
interface TopicBackoff {
  failures: number;
  retryAt: number;
}

/**
 * The relay's two lanes, each with its own loop and lock: master updates, and the ships' outcomes
 * (one topic per ship). They share no topic, so neither waits for the other's sends, and two
 * replicas may each run one. One pass of a lane at a time across replicas, so each topic's
 * messages keep their order.
 */
interface Lane {
  name: string;
  kind: OutboxKind;
  lock: number;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  again: boolean;
  failures: number;
}

const MASTER_UPDATES_LOCK = 727_002;
const OUTCOMES_LOCK = 727_006;
const DRAIN_BATCH = 500;
/**
 * Messages under one batch signature: one Ed25519 operation instead of 128 for the master and for
 * every ship, for a proof of 7 hashes (~300 bytes) on each message.
 */
const SIGNED_BATCH = 128;
const MAX_BACKOFF_MS = 60_000;

/**
 * Publishes the master outbox, master updates and outcomes in lanes of their own: oldest rows
 * first, grouped per topic, signed, through the idempotent producer, in produce requests of at most KAFKA_MAX_REQUEST_BYTES. A row is marked
 * sent only after the broker acknowledged it. A failed send leaves its rows pending (attempts and
 * error recorded) and that topic backs off and is retried, while the other topics keep going. A
 * row that can never be sent (over the request limit on its own, or its revision missing) is
 * parked with a dead letter saying why, and the rows behind it go on.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly backoffs = new Map<string, TopicBackoff>();
  /** Request sizes below KAFKA_MAX_REQUEST_BYTES for topics whose broker limit proved smaller. */
  private readonly requestLimits = new Map<string, number>();
  private readonly lanes: Lane[] = [
    lane('master updates', 'master-update', MASTER_UPDATES_LOCK),
    lane('outcomes', 'change-outcomes', OUTCOMES_LOCK),
  ];
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MASTER_PUBLISHER) private readonly publisher: EnvelopePublisher,
    @Inject(MASTER_SIGNING_KEY) private readonly signingKey: KeyObject,
    private readonly outcomeTopics: OutcomeTopics,
    private readonly deadLetters: DeadLettersService,
    private readonly config: MasterConfig,
  ) {}

  onApplicationBootstrap(): void {
    for (const lane of this.lanes) this.schedule(lane, 0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const lane of this.lanes) if (lane.timer) clearTimeout(lane.timer);
    await Promise.all(this.lanes.map((lane) => lane.running ?? Promise.resolve()));
    // The consumers have stopped, so no new rows come: publish what the last batches wrote, for
    // at most half the shutdown budget (rows left are durable; the next relay to run sends them).
    const until = Date.now() + this.config.shutdownTimeoutMs / 2;
    await Promise.all(
      this.lanes.map(async (lane) => {
        try {
          while (Date.now() < until && (await this.drainOnce(lane)) === DRAIN_BATCH);
        } catch (error) {
          this.logger.warn(
            `Outbox flush (${lane.name}) at shutdown stopped: ${errorMessage(error)}`,
          );
        }
      }),
    );
    await this.publisher.disconnect();
  }

  /** Called after a transaction that wrote outbox rows has committed. */
  kick(): void {
    if (this.stopped) return;
    for (const lane of this.lanes) {
      if (lane.running) {
        lane.again = true;
      } else if (lane.failures === 0) {
        this.schedule(lane, 0);
      }
    }
  }

  /** An operator's push: topics waiting out a failed send are tried again at once too. */
  retryNow(): void {
    this.backoffs.clear();
    for (const lane of this.lanes) lane.failures = 0;
    this.kick();
  }

  /** Drains until nothing is pending but rows of topics backing off (tests use it directly). */
  async drain(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => this.drainLane(lane)));
  }

  private async drainLane(lane: Lane): Promise<void> {
    for (;;) {
      const taken = await this.drainOnce(lane);
      if (taken < DRAIN_BATCH) return;
    }
  }

  /**
   * A parked row's dead letter retried: the row is sent on its own now, if it fits a request
   * (KAFKA_MAX_REQUEST_BYTES raised) and the topic takes it (its broker limit raised).
   */
  async sendParked(outboxId: string): Promise<ReplayResult> {
    const rows = await this.dataSource.query<PendingRow[]>(
      rowsWhere(`status = 'parked' AND id = $2`),
      [1, outboxId],
    );
    if (rows.length === 0) return { ok: true }; // sent already
    const [row] = rows;
    const { drafts, unsendable } = draftsOf(rows, this.config.contentTypes.localOnly);
    if (unsendable.length > 0) {
      return { ok: false, reason: unsendable[0].reason, detail: unsendable[0].detail };
    }
    const [envelope] = await this.envelopesOf(rows, drafts);
    const bytes = requestBytes(envelope.key, envelope.encoded);
    if (bytes > this.config.maxRequestBytes) {
      return { ok: false, reason: 'too-large', detail: this.tooLargeDetail(row, bytes) };
    }
    try {
      if (row.kind === 'change-outcomes') await this.outcomeTopics.ensure([row.topic]);
      await this.publisher.publish(row.topic, [envelope]);
    } catch (error) {
      return isMessageTooLargeError(error)
        ? { ok: false, reason: 'too-large', detail: this.refusedDetail(row, bytes) }
        : { ok: false, reason: 'send-failed', detail: errorMessage(error) };
    }
    await this.dataSource.query(
      `UPDATE outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL
        WHERE id = $1 AND status = 'parked'`,
      [outboxId],
    );
    this.logger.log(`Parked outbox row ${outboxId} (${row.key}) sent on retry`);
    return { ok: true };
  }

  private laneOf(kind: OutboxKind): Lane {
    return this.lanes.find((lane) => lane.kind === kind) ?? this.lanes[0];
  }

  private schedule(lane: Lane, delayMs: number): void {
    if (this.stopped) return;
    if (lane.timer) clearTimeout(lane.timer);
    lane.timer = setTimeout(() => void this.tick(lane), delayMs);
  }

  private async tick(lane: Lane): Promise<void> {
    lane.timer = null;
    if (lane.running || this.stopped) return;
    lane.running = this.drainLane(lane).then(
      () => {
        lane.failures = 0;
      },
      (error: unknown) => {
        lane.failures += 1;
        this.logger.warn(
          `Outbox relay (${lane.name}) failed (attempt ${lane.failures}): ${errorMessage(error)}`,
        );
      },
    );
    await lane.running;
    lane.running = null;
    const delay =
      lane.failures > 0
        ? backoffDelay(lane.failures, {
            initialMs: this.config.sync.retryDelayMs,
            maxMs: MAX_BACKOFF_MS,
          })
        : lane.again
          ? 0
          : Math.min(this.config.sync.outboxPollIntervalMs, this.untilTopicRetry());
    lane.again = false;
    this.schedule(lane, delay);
  }

  /**
   * Time until the next topic backing off is due again (Infinity when none is). A topic already
   * due is in every pass (its failures are kept until a send to it succeeds).
   */
  private untilTopicRetry(): number {
    const now = Date.now();
    let until = Infinity;
    for (const { retryAt } of this.backoffs.values()) {
      if (retryAt > now) until = Math.min(until, retryAt - now);
    }
    return until;
  }

  /** Topics whose rows wait out a failed send. */
  private topicsBackingOff(): string[] {
    const now = Date.now();
    return [...this.backoffs].filter(([, b]) => b.retryAt > now).map(([topic]) => topic);
  }

  /**
   * One locked pass over up to DRAIN_BATCH pending rows of the lane (of topics not backing off);
   * returns how many it took.
   */
  private async drainOnce(lane: Lane): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        lane.lock,
      ])) as [{ locked: boolean }];
      if (!locked) {
        await runner.commitTransaction();
        return 0;
      }
      const rows = (await runner.query(
        rowsWhere(`status = 'pending' AND kind = $3 AND topic <> ALL($2::text[])`),
        [DRAIN_BATCH, this.topicsBackingOff(), lane.kind],
      )) as PendingRow[];
      await this.publishRows(runner, rows);
      await runner.commitTransaction();
      return rows.length;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Publishes each topic's rows; a topic whose send fails backs off, the others go on. */
  private async publishRows(runner: QueryRunner, rows: PendingRow[]): Promise<void> {
    const byTopic = new Map<string, PendingRow[]>();
    for (const row of rows) {
      const list = byTopic.get(row.topic) ?? [];
      list.push(row);
      byTopic.set(row.topic, list);
    }
    // Outcomes go to one topic per ship: a pass holds a few rows for each of hundreds of topics,
    // which go out together. What is left (a failed request) goes topic by topic below.
    const outcomeTopics = [...byTopic].filter(
      ([topic, group]) => group[0].kind === 'change-outcomes' && !this.requestLimits.has(topic),
    );
    const handled =
      outcomeTopics.length > 1
        ? await this.publishAcrossTopics(
            runner,
            outcomeTopics.flatMap(([, group]) => group),
          )
        : new Set<string>();
    for (const [topic, all] of byTopic) {
      const group = all.filter((row) => !handled.has(row.id));
      if (group.length === 0) {
        this.backoffs.delete(topic);
        continue;
      }
      try {
        await this.publishTopic(runner, topic, group);
        this.backoffs.delete(topic);
      } catch (error) {
        const failures = (this.backoffs.get(topic)?.failures ?? 0) + 1;
        const delay = backoffDelay(failures, {
          initialMs: this.config.sync.retryDelayMs,
          maxMs: MAX_BACKOFF_MS,
        });
        this.backoffs.set(topic, { failures, retryAt: Date.now() + delay });
        this.logger.warn(
          `Outbox send to ${topic} failed (attempt ${failures}), retried in ${delay} ms: ${errorMessage(error)}`,
        );
      }
    }
  }

  /**
   * Rows of many topics (each topic's in order) in produce requests across topics within
   * KAFKA_MAX_REQUEST_BYTES, signed together: a round trip per request, not per topic. Returns
   * the ids of the rows sent or parked. At the first failure it stops: the rows not sent go
   * topic by topic, where a failing topic is found and backs off alone.
   */
  private async publishAcrossTopics(
    runner: QueryRunner,
    group: PendingRow[],
  ): Promise<Set<string>> {
    const handled = new Set<string>();
    const { rows, drafts, unsendable } = draftsOf(group, this.config.contentTypes.localOnly);
    await this.park(runner, unsendable);
    for (const { row } of unsendable) handled.add(row.id);
    if (rows.length === 0) return handled;
    let envelopes: Array<{ key: string; encoded: string }>;
    try {
      await this.outcomeTopics.ensure(rows.map((row) => row.topic));
      envelopes = await this.envelopesOf(rows, drafts);
    } catch (error) {
      this.logger.warn(`Outcome topics not ready, sending topic by topic: ${errorMessage(error)}`);
      return handled;
    }
    const sizes = envelopes.map((e) => requestBytes(e.key, e.encoded));
    const plan = planRequests(sizes, this.config.maxRequestBytes);
    await this.park(
      runner,
      plan.parked.map((i) => ({
        row: rows[i],
        reason: 'too-large',
        detail: this.tooLargeDetail(rows[i], sizes[i]),
      })),
    );
    for (const i of plan.parked) handled.add(rows[i].id);
    for (const request of plan.requests) {
      const byTopic = new Map<string, Array<{ key: string; encoded: string }>>();
      for (const i of request) {
        const list = byTopic.get(rows[i].topic) ?? [];
        list.push(envelopes[i]);
        byTopic.set(rows[i].topic, list);
      }
      try {
        await this.publisher.publishBatch(
          [...byTopic].map(([topic, list]) => ({ topic, envelopes: list })),
        );
      } catch (error) {
        this.logger.warn(
          `A request to ${byTopic.size} outcome topics failed, sending topic by topic: ${errorMessage(error)}`,
        );
        return handled;
      }
      const sent = request.map((i) => rows[i].id);
      await runner.query(
        `UPDATE outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL
          WHERE id = ANY($1::bigint[])`,
        [sent],
      );
      for (const id of sent) handled.add(id);
    }
    return handled;
  }

  /**
   * A topic's rows in order, in requests within KAFKA_MAX_REQUEST_BYTES. Rows that can never be
   * sent are parked; the first failed request stops the topic (the rows behind it must not
   * overtake it) and throws.
   */
  private async publishTopic(
    runner: QueryRunner,
    topic: string,
    group: PendingRow[],
  ): Promise<void> {
    const { rows, drafts, unsendable } = draftsOf(group, this.config.contentTypes.localOnly);
    await this.park(runner, unsendable);
    if (rows.length === 0) return;
    let envelopes: Array<{ key: string; encoded: string }>;
    try {
      if (rows[0].kind === 'change-outcomes') await this.outcomeTopics.ensure([topic]);
      envelopes = await this.envelopesOf(rows, drafts);
    } catch (error) {
      await this.recordFailure(runner, rows, error);
      throw error;
    }
    const sizes = envelopes.map((e) => requestBytes(e.key, e.encoded));
    const limit = this.requestLimits.get(topic) ?? this.config.maxRequestBytes;
    const plan = planRequests(sizes, limit, this.config.maxRequestBytes);
    await this.park(
      runner,
      plan.parked.map((i) => ({
        row: rows[i],
        reason: 'too-large',
        detail: this.tooLargeDetail(rows[i], sizes[i]),
      })),
    );
    for (const request of plan.requests) {
      const sending = request.map((i) => rows[i]);
      try {
        await this.publisher.publish(
          topic,
          request.map((i) => envelopes[i]),
        );
      } catch (error) {
        if (isMessageTooLargeError(error)) {
          const bytes = request.reduce((sum, i) => sum + sizes[i], 0);
          if (request.length === 1) {
            // The topic's own limit is below this message: it can never be sent there.
            await this.park(runner, [
              {
                row: sending[0],
                reason: 'too-large',
                detail: this.refusedDetail(sending[0], bytes),
              },
            ]);
            continue;
          }
          // The topic takes less than KAFKA_MAX_REQUEST_BYTES: smaller requests, at once.
          this.requestLimits.set(topic, Math.floor(bytes / 2));
          this.laneOf(sending[0].kind).again = true;
          this.logger.warn(
            `The broker refused a ${bytes}-byte request to ${topic} as too large (its max.message.bytes is below KAFKA_MAX_REQUEST_BYTES, ${this.config.maxRequestBytes}): sending at most ${Math.floor(bytes / 2)} bytes a request there`,
          );
          return;
        }
        // Not sent: the rows stay pending with what went wrong, and are retried first next time.
        await this.recordFailure(runner, sending, error);
        throw error;
      }
      await runner.query(
        `UPDATE outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL
          WHERE id = ANY($1::bigint[])`,
        [sending.map((row) => row.id)],
      );
    }
  }

  private async recordFailure(
    runner: QueryRunner,
    rows: PendingRow[],
    error: unknown,
  ): Promise<void> {
    await runner.query(
      `UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`,
      [rows.map((row) => row.id), errorMessage(error).slice(0, 2000)],
    );
  }

  /**
   * Rows that can never be sent leave the queue, in the relay's transaction, each with a dead
   * letter naming why: nothing behind them waits for them any more.
   */
  private async park(runner: QueryRunner, unsendable: Unsendable[]): Promise<void> {
    for (const { row, reason, detail } of unsendable) {
      await runner.query(
        `UPDATE outbox SET status = 'parked', attempts = attempts + 1, last_error = $2 WHERE id = $1`,
        [row.id, `${reason}: ${detail}`.slice(0, 2000)],
      );
      await this.deadLetters.store(
        {
          topic: row.topic,
          partition: UNSENT_PARTITION,
          offset: row.id,
          key: row.key,
          value: JSON.stringify(row.payload),
          valueEncoding: 'utf8',
          headers: {},
          reason,
          detail,
          sender: MASTER_SENDER,
          messageId: row.message_id,
        },
        runner.manager,
      );
      this.logger.error(`Outbox row ${row.id} (${row.key}) parked, never sent: ${detail}`);
    }
  }

  private tooLargeDetail(row: PendingRow, bytes: number): string {
    return `${row.kind} ${row.key}: its message is ${bytes} bytes, over the ${this.config.maxRequestBytes}-byte request limit (KAFKA_MAX_REQUEST_BYTES)`;
  }

  private refusedDetail(row: PendingRow, bytes: number): string {
    return `${row.kind} ${row.key}: its message is ${bytes} bytes, refused by the broker as too large for ${row.topic} (max.message.bytes)`;
  }

  /**
   * Rows' drafts as signed envelopes in their JSON text, signed on the thread pool (the event loop
   * meanwhile serves the ingest): in batches under one signature each, or one by one for a fleet
   * that still has ships reading only schema version 1.
   */
  private async envelopesOf(
    rows: PendingRow[],
    drafts: MasterDraft[],
  ): Promise<Array<{ key: string; encoded: string }>> {
    if (this.config.sync.batchSigning) {
      const batches = Array.from({ length: Math.ceil(drafts.length / SIGNED_BATCH) }, (_, i) =>
        drafts.slice(i * SIGNED_BATCH, (i + 1) * SIGNED_BATCH),
      );
      // Each envelope's canonical text (hashed into its batch's tree) is also what goes on the
      // wire: one serialisation per envelope.
      const encoded = (
        await Promise.all(
          batches.map((batch) => signEnvelopeBatchEncodedAsync(batch, this.signingKey)),
        )
      ).flat();
      return encoded.map((text, i) => ({ key: rows[i].key, encoded: text }));
    }
    const signed = await Promise.all(
      drafts.map((draft) => signEnvelopeAsync(draft, this.signingKey)),
    );
    // The text encodeEnvelope would send, kept as text so that its size can be measured.
    return signed.map((envelope, i) => ({ key: rows[i].key, encoded: JSON.stringify(envelope) }));
  }
}

/**
 * Outbox rows matching `filter` (at most $1, oldest first) with the revision each master-update
 * row points at. The rows are taken first and only they are joined: with the LIMIT outside the
 * join, the planner joined every pending row (15,000 while a burst was queued) to its revision
 * before keeping 500, and this query was 60% of PostgreSQL's time in ingest.
 */
function rowsWhere(filter: string): string {
  // A conflict is open at version v from the version it opened at until its resolution's.
  return `SELECT o.id, o.kind, o.message_id, o.topic, o.key, o.payload, o.created_at,
                 r.data AS rev_data, r.deleted AS rev_deleted, r.author AS rev_author, r.at AS rev_at,
                 oc.ids AS open_conflicts
            FROM (SELECT id, kind, message_id, topic, key, payload, created_at FROM outbox
                   WHERE ${filter} ORDER BY id LIMIT $1) o
            LEFT JOIN revisions r
              ON o.kind = 'master-update' AND r.type = o.payload->>'type'
             AND r.document_id = (o.payload->>'documentId')::uuid
             AND r.locale = o.payload->>'locale' AND r.version = (o.payload->>'version')::int
            LEFT JOIN LATERAL (
              SELECT array_agg(c.id::text ORDER BY c.id) AS ids FROM conflicts c
               WHERE o.kind = 'master-update' AND c.type = o.payload->>'type'
                 AND c.document_id = (o.payload->>'documentId')::uuid
                 AND c.locale = o.payload->>'locale'
                 AND c.opened_version <= (o.payload->>'version')::int
                 AND (c.status = 'open' OR c.resolved_version > (o.payload->>'version')::int)
            ) oc ON true
           ORDER BY o.id`;
}

/** Each row's envelope draft; rows without one (a master update's revision missing) set apart. */
function draftsOf(
  group: PendingRow[],
  localOnly: LocalOnlyFields,
): {
  rows: PendingRow[];
  drafts: MasterDraft[];
  unsendable: Unsendable[];
} {
  const rows: PendingRow[] = [];
  const drafts: MasterDraft[] = [];
  const unsendable: Unsendable[] = [];
  for (const row of group) {
    const draft = draftOf(row, localOnly);
    if (draft) {
      rows.push(row);
      drafts.push(draft);
    } else {
      const ref = row.payload as unknown as MasterUpdateRef;
      unsendable.push({
        row,
        reason: 'no-revision',
        detail: `${row.kind} ${row.key}: no revision ${ref.version} to send`,
      });
    }
  }
  return { rows, drafts, unsendable };
}

type MasterDraft = EnvelopeDraft<MessageKind.MasterUpdate | MessageKind.ChangeOutcomes>;

// Object literals rather than spreads in this file: they run once per relayed row, and a spread
// followed by more members cost the master's planner a quarter of its CPU per change.
function draftOf(row: PendingRow, localOnly: LocalOnlyFields): MasterDraft | null {
  const sender = MASTER_SENDER;
  const messageId = row.message_id;
  const timestamp = new Date(row.created_at).toISOString();
  if (row.kind === 'master-update') {
    const payload = masterUpdateOf(row, localOnly);
    return payload && { sender, messageId, timestamp, kind: MessageKind.MasterUpdate, payload };
  }
  return {
    sender,
    messageId,
    timestamp,
    kind: MessageKind.ChangeOutcomes,
    payload: inCanonicalKeyOrder(row.payload as unknown as ChangeOutcomesPayloadDto),
  };
}

/**
 * The full document version a master-update row points at, as ships receive it, without its
 * local-only fields (they stay on the master); null when the revision is missing (written in the
 * same transaction as the row, so a broken database).
 */
function masterUpdateOf(row: PendingRow, localOnly: LocalOnlyFields): MasterUpdateDto | null {
  const ref = row.payload as unknown as MasterUpdateRef;
  if (row.rev_data === null || row.rev_author === null || row.rev_at === null) return null;
  // Keys in canonical order (PostgreSQL's jsonb lists them by length): every ship's canonical
  // bytes of the update are then one JSON.stringify (canonicalJson). Members are added one by one
  // so that an optional `origin` keeps its place without a spread.
  const update: Partial<MasterUpdateDto> = {
    author: row.rev_author as Author,
    data: inCanonicalKeyOrder(localOnly.strip(ref.type, row.rev_data)),
    deleted: row.rev_deleted === true,
    documentId: ref.documentId,
    locale: ref.locale,
  };
  if (row.open_conflicts !== null) update.openConflicts = row.open_conflicts;
  if (ref.origin) update.origin = inCanonicalKeyOrder(ref.origin);
  update.type = ref.type;
  update.updatedAt = new Date(row.rev_at).toISOString();
  update.version = ref.version;
  return update as MasterUpdateDto;
}

function lane(name: string, kind: OutboxKind, lock: number): Lane {
  return { name, kind, lock, timer: null, running: null, again: false, failures: 0 };
}
