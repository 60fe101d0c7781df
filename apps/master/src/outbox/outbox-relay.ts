import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  MASTER_SENDER,
  inCanonicalKeyOrder,
  MessageKind,
  signEnvelopeAsync,
  signEnvelopeBatchEncodedAsync,
  type Author,
  type ChangeOutcomesPayloadDto,
  type EnvelopeDraft,
  type EnvelopePublisher,
  type MasterUpdateDto,
  type OutgoingEnvelope,
} from '@offline-sync/sync-core';
import type { KeyObject } from 'node:crypto';
import { DataSource, type QueryRunner } from 'typeorm';
import { MasterConfig } from '../core/config/master-config';
import { MASTER_SIGNING_KEY } from '../core/signing/signing.tokens';
import type { MasterUpdateRef } from '../documents/version-writer';
import { backoffDelay } from './backoff';
import { MASTER_PUBLISHER } from './master-publisher.provider';
import { OutcomeTopics } from './outcome-topics';

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

/** One relay at a time across replicas, so master-updates keep their order per key. */
const RELAY_LOCK = 727_002;
const DRAIN_BATCH = 500;
/**
 * Messages under one batch signature: one Ed25519 operation instead of 128 for the master and for
 * every ship, for a proof of 7 hashes (~300 bytes) on each message.
 */
const SIGNED_BATCH = 128;
const MAX_BACKOFF_MS = 60_000;

/**
 * Publishes the master outbox: oldest rows first, grouped per topic, signed, through the
 * idempotent producer. A row is marked sent only after the broker acknowledged it; a failed send
 * leaves it pending (attempts and error recorded) and the relay backs off and retries.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private failures = 0;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(MASTER_PUBLISHER) private readonly publisher: EnvelopePublisher,
    @Inject(MASTER_SIGNING_KEY) private readonly signingKey: KeyObject,
    private readonly outcomeTopics: OutcomeTopics,
    private readonly config: MasterConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    // The consumers have stopped, so no new rows come: publish what the last batches wrote, for
    // at most half the shutdown budget (rows left are durable; the next relay to run sends them).
    const until = Date.now() + this.config.shutdownTimeoutMs / 2;
    try {
      while (Date.now() < until && (await this.drainOnce()) === DRAIN_BATCH);
    } catch (error) {
      this.logger.warn(`Outbox flush at shutdown stopped: ${describe(error)}`);
    }
    await this.publisher.disconnect();
  }

  /** Called after a transaction that wrote outbox rows has committed. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.failures === 0) this.schedule(0);
  }

  /** Drains until nothing is pending (tests and shutdown use it directly). */
  async drain(): Promise<void> {
    for (;;) {
      const sent = await this.drainOnce();
      if (sent < DRAIN_BATCH) return;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (this.running || this.stopped) return;
    this.running = this.drain().then(
      () => {
        this.failures = 0;
      },
      (error: unknown) => {
        this.failures += 1;
        this.logger.warn(`Outbox relay failed (attempt ${this.failures}): ${describe(error)}`);
      },
    );
    await this.running;
    this.running = null;
    const delay =
      this.failures > 0
        ? backoffDelay(this.failures, this.config.sync.retryDelayMs, MAX_BACKOFF_MS)
        : this.again
          ? 0
          : this.config.sync.outboxPollIntervalMs;
    this.again = false;
    this.schedule(delay);
  }

  /** One locked pass over up to DRAIN_BATCH pending rows; returns how many were sent. */
  private async drainOnce(): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        RELAY_LOCK,
      ])) as [{ locked: boolean }];
      if (!locked) {
        await runner.commitTransaction();
        return 0;
      }
      const rows = (await runner.query(
        // The batch is taken first and only its rows are joined: with the LIMIT outside the
        // join, the planner joined every pending row (15,000 while a burst was queued) to its
        // revision before keeping 500, and this query was 60% of PostgreSQL's time in ingest.
        // A conflict is open at version v from the version it opened at until its resolution's.
        `SELECT o.id, o.kind, o.message_id, o.topic, o.key, o.payload, o.created_at,
                r.data AS rev_data, r.deleted AS rev_deleted, r.author AS rev_author, r.at AS rev_at,
                oc.ids AS open_conflicts
           FROM (SELECT id, kind, message_id, topic, key, payload, created_at FROM outbox
                  WHERE status = 'pending' ORDER BY id LIMIT $1) o
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
          ORDER BY o.id`,
        [DRAIN_BATCH],
      )) as PendingRow[];
      const { sent, error } = await this.publishRows(runner, rows);
      await runner.commitTransaction();
      if (error) throw error;
      return sent;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  private async publishRows(
    runner: QueryRunner,
    rows: PendingRow[],
  ): Promise<{ sent: number; error: Error | null }> {
    const byTopic = new Map<string, PendingRow[]>();
    for (const row of rows) {
      const list = byTopic.get(row.topic) ?? [];
      list.push(row);
      byTopic.set(row.topic, list);
    }
    let sent = 0;
    let firstError: Error | null = null;
    for (const [topic, group] of byTopic) {
      const ids = group.map((row) => row.id);
      try {
        if (group[0].kind === 'change-outcomes') await this.outcomeTopics.ensure([topic]);
        await this.publisher.publish(topic, await this.envelopesOf(group));
      } catch (error) {
        // Not sent: the rows stay pending with what went wrong, and are retried first next time.
        firstError ??= error instanceof Error ? error : new Error(String(error));
        await runner.query(
          `UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`,
          [ids, describe(error).slice(0, 2000)],
        );
        continue;
      }
      await runner.query(
        `UPDATE outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL
          WHERE id = ANY($1::bigint[])`,
        [ids],
      );
      sent += group.length;
    }
    return { sent: firstError ? 0 : sent, error: firstError };
  }

  /**
   * A topic's rows as signed envelopes, signed on the thread pool (the event loop meanwhile serves
   * the ingest): in batches under one signature each, or one by one for a fleet that still has
   * ships reading only schema version 1.
   */
  private async envelopesOf(group: PendingRow[]): Promise<OutgoingEnvelope[]> {
    const drafts = group.map((row) => draftOf(row));
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
      return encoded.map((text, i) => ({ key: group[i].key, encoded: text }));
    }
    const signed = await Promise.all(
      drafts.map((draft) => signEnvelopeAsync(draft, this.signingKey)),
    );
    return signed.map((envelope, i) => ({ key: group[i].key, envelope }));
  }
}

type MasterDraft = EnvelopeDraft<MessageKind.MasterUpdate | MessageKind.ChangeOutcomes>;

// Object literals rather than spreads in this file: they run once per relayed row, and a spread
// followed by more members cost the master's planner a quarter of its CPU per change.
function draftOf(row: PendingRow): MasterDraft {
  const sender = MASTER_SENDER;
  const messageId = row.message_id;
  const timestamp = new Date(row.created_at).toISOString();
  return row.kind === 'master-update'
    ? { sender, messageId, timestamp, kind: MessageKind.MasterUpdate, payload: masterUpdateOf(row) }
    : {
        sender,
        messageId,
        timestamp,
        kind: MessageKind.ChangeOutcomes,
        payload: inCanonicalKeyOrder(row.payload as unknown as ChangeOutcomesPayloadDto),
      };
}

/** The full document version a master-update row points at, as ships receive it. */
function masterUpdateOf(row: PendingRow): MasterUpdateDto {
  const ref = row.payload as unknown as MasterUpdateRef;
  if (row.rev_data === null || row.rev_author === null || row.rev_at === null) {
    // Written in the same transaction as its revision, so this means a broken database.
    throw new Error(`outbox row ${row.id}: no revision ${ref.version} of ${row.key}`);
  }
  // Keys in canonical order (PostgreSQL's jsonb lists them by length): every ship's canonical
  // bytes of the update are then one JSON.stringify (canonicalJson). Members are added one by one
  // so that an optional `origin` keeps its place without a spread.
  const update: Partial<MasterUpdateDto> = {
    author: row.rev_author as Author,
    data: inCanonicalKeyOrder(row.rev_data),
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

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
