import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  inCanonicalKeyOrder,
  MessageKind,
  ShipChangeDto,
  signEnvelope,
  validateContract,
  uuidV7,
} from '@offline-sync/sync-core';
import type { KeyObject } from 'node:crypto';
import type { Subscription } from 'rxjs';
import { In, type EntityManager } from 'typeorm';
import { ConnectivityService } from '../connectivity/connectivity.service';
import { ShipClock } from '../core/clock/ship-clock';
import { ShipConfig } from '../core/config/ship-config';
import { isoNow } from '../core/database/iso-now';
import { chunked, ShipDatabase } from '../core/database/ship-database.service';
import { insertRows } from '../core/database/insert-rows';
import { inList, padInList } from '../core/database/statement-sizes';
import { SyncMetaService } from '../core/database/sync-meta.service';
import { ShipPublisher } from '../core/kafka/ship-publisher';
import { SHIP_SIGNING_KEY } from '../core/signing/signing.tokens';
import { ShipMetrics } from '../metrics/ship-metrics.service';
import { OutboxChangeEntity } from '../outbox/entities/outbox-change.entity';
import { OutboxService } from '../outbox/outbox.service';
import { settleDocuments, type DocumentOutcome } from '../outcomes/settle-documents';
import { MAX_ENVELOPE_BYTES, splitIntoEnvelopes } from './change-batcher';
import { DEFAULT_SEND_BUDGET, fitOnWire, headOfLine, type SendBudget } from './send-budget';
import { OutboxEnvelopeEntity } from './entities/outbox-envelope.entity';
import { pendingEnvelopeSizes } from './pending-envelope-sizes';
import { SendCancelledError, SendFailedError, sendWithRetry } from './send-retry.policy';

/**
 * Envelopes sealed per claim transaction (~100 ms for 1,000 small changes): SQLite runs on the
 * event loop, so crew writes and the inbox wait behind a claim, and a claim waits behind them;
 * shorter claims made sealing, not the link, what limited a backlog's upload over a satellite.
 */
const ENVELOPES_PER_CLAIM = 10;

/** Envelopes marked sent per transaction (~1,000 rows), for the same reason. */
const ENVELOPES_PER_MARK = 10;

export interface FlushOptions {
  /** Also re-send envelopes that exhausted their retries (reconnect, POST push). */
  retryFailed?: boolean;
}

/**
 * Sends the outbox to ship-updates when the link is up.
 *
 * - Rows are claimed in write order into envelopes of SYNC_BATCH_SIZE changes: seq, changeId and
 *   messageId are assigned and the signed envelope stored in one transaction, before the first
 *   send. A retry (or a restart after kill -9) sends those very bytes again, so the master
 *   recognises the redelivery; a claimed row is never altered (new edits become new rows).
 * - Envelopes go out strictly in seq order: the master treats a seq at or below its high-water
 *   mark as a redelivery, so an envelope must never overtake an earlier one. A failed envelope
 *   therefore holds the ones behind it until it is retried (on reconnect or POST push).
 * - A send is retried SYNC_RETRY_ATTEMPTS times with exponential backoff and jitter; then its
 *   rows become `failed`, stay visible, and are never dropped.
 * - Writes start a flush after SYNC_DEBOUNCE_MS, so a burst of edits shares envelopes.
 */
@Injectable()
export class RelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RelayService.name);
  private readonly abort = new AbortController();
  private debounceTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private wanted = false;
  private retryFailedWanted = false;
  private stopped = false;
  private subscription: Subscription | null = null;
  private readonly budget: SendBudget;

  constructor(
    private readonly config: ShipConfig,
    private readonly db: ShipDatabase,
    private readonly meta: SyncMetaService,
    private readonly outbox: OutboxService,
    private readonly publisher: ShipPublisher,
    private readonly connectivity: ConnectivityService,
    private readonly metrics: ShipMetrics,
    @Inject(SHIP_SIGNING_KEY) private readonly signingKey: KeyObject,
    private readonly clock: ShipClock,
  ) {
    this.budget = { ...DEFAULT_SEND_BUDGET, compressed: config.compression === 'gzip' };
  }

  onApplicationBootstrap(): void {
    // The link came back: send everything, failed rows included.
    this.subscription = this.connectivity.changes.subscribe((transition) => {
      if (transition.to === 'online') void this.flush({ retryFailed: true });
    });
    // A safety net for anything a trigger missed; cheap when the outbox is empty.
    this.pollTimer = setInterval(
      () => {
        if (this.connectivity.isOnline()) void this.flush();
      },
      Math.max(1000, this.config.sync.connectivityCheckIntervalMs),
    );
    this.pollTimer.unref();
  }

  /** Finishes the send in hand (its waits for a retry are cut short), then stops. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.abort.abort();
    await this.loop?.catch(() => undefined);
  }

  /** Called after each committed write: flushes once SYNC_DEBOUNCE_MS has passed. */
  notifyWrite(): void {
    if (this.debounceTimer || this.stopped) return;
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      void this.flush();
    }, this.config.sync.debounceMs);
    this.debounceTimer.unref();
  }

  /** Sends what can be sent now; resolves when a pass that started after this call is done. */
  flush(options: FlushOptions = {}): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (options.retryFailed) this.retryFailedWanted = true;
    this.wanted = true;
    this.loop ??= this.runLoop().finally(() => {
      this.loop = null;
    });
    return this.loop;
  }

  private async runLoop(): Promise<void> {
    while (this.wanted && !this.stopped) {
      this.wanted = false;
      const retryFailed = this.retryFailedWanted;
      this.retryFailedWanted = false;
      try {
        await this.drain(retryFailed);
      } catch (error) {
        this.logger.error(`Relay pass failed: ${describe(error)}`);
      }
    }
  }

  /**
   * Sends sealed envelopes a produce request at a time, oldest first, and keeps the link busy:
   * while one request is on its way (a round trip or more over a satellite) queued rows are
   * sealed and the next request is read, so it leaves the moment the broker has acknowledged the
   * one before; the acknowledged envelopes are marked sent meanwhile. Nothing waits for a request
   * to fill: a lone edit goes at once, and a backlog's requests grow to the budget as sealing
   * keeps ahead of the link.
   */
  private async drain(retryFailed: boolean): Promise<void> {
    if (!this.connectivity.isOnline()) return; // rows wait; the reconnect starts a flush
    if (retryFailed) await this.requeueFailed();
    let group = await this.nextGroup(null);
    if (group === null) return; // a failed envelope holds the line until it is retried
    if (group.length === 0) {
      await this.claim();
      group = await this.nextGroup(null);
    }
    // Marking sent runs behind the next send (the broker already has those envelopes).
    const marks: Promise<void>[] = [];
    try {
      while (group?.length && !this.stopped) {
        const publishing = this.publish(group);
        await this.sealWhile(publishing);
        // Only envelopes behind the ones in flight: those are still pending until marked.
        const next = await this.nextGroup(group[group.length - 1].firstSeq);
        const result = await publishing;
        if (result.status === 'cancelled') return;
        if (result.status === 'failed') {
          await this.markFailed(group, result.tries, result.reason);
          return;
        }
        const mark = this.markSent(group, result.tries);
        mark.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
        marks.push(mark);
        // The link went down under the relay: what is sealed waits for the reconnect's flush.
        if (!this.connectivity.isOnline()) return;
        group = next;
      }
    } finally {
      await Promise.all(marks);
    }
  }

  /**
   * Seals up to one more request's worth of queued rows while `sending` is in flight; returns
   * how many rows it sealed.
   */
  private async sealWhile(sending: Promise<unknown>): Promise<number> {
    let inFlight = true;
    const settled = (): void => {
      inFlight = false;
    };
    sending.then(settled, settled);
    const enough = this.budget.maxEnvelopes * this.config.sync.batchSize;
    let sealed = 0;
    while (inFlight && !this.stopped && sealed < enough) {
      const claimed = await this.claim();
      sealed += claimed.rows;
      if (!claimed.more) break;
    }
    return sealed;
  }

  /**
   * The next request's envelopes (bodies loaded, as many as fit one request) behind the envelope
   * whose first seq is `after` (the one in flight), or null when a failed envelope blocks the line.
   */
  private async nextGroup(after: number | null): Promise<OutboxEnvelopeEntity[] | null> {
    // One unit of work: the relay's turn at the database is short and comes once per request.
    const envelopes = await this.db.read(async (manager) => {
      const head = await this.headOfLine(manager, after);
      if (head.blocked) return null;
      if (head.take.length === 0) return [];
      return manager.find(OutboxEnvelopeEntity, {
        where: { messageId: inList(head.take.map((e) => e.messageId)) },
        order: { firstSeq: 'ASC' },
      });
    });
    // As many as fit one request on the wire.
    return envelopes === null ? null : fitOnWire(envelopes, this.budget);
  }

  /** Failed envelopes and their rows go back to the head of the line, attempts reset. */
  private async requeueFailed(): Promise<void> {
    const count = await this.db.transaction(async (manager) => {
      const failed = await manager.find(OutboxEnvelopeEntity, {
        where: { status: 'failed' },
        select: { messageId: true },
      });
      if (failed.length === 0) return 0;
      const ids = failed.map((e) => e.messageId);
      await manager.update(
        OutboxEnvelopeEntity,
        { messageId: inList(ids) },
        { status: 'pending', attempts: 0 },
      );
      await manager.update(
        OutboxChangeEntity,
        { messageId: inList(ids), status: 'failed' },
        { status: 'sending', updatedAt: isoNow() },
      );
      return failed.length;
    });
    if (count > 0) this.logger.log(`Retrying ${count} failed envelope(s)`);
  }

  /**
   * The next envelopes to send (behind first seq `after`, when given), oldest first, by size
   * only (their bodies stay on disk), and whether a failed envelope blocks the line.
   */
  private async headOfLine(
    manager: EntityManager,
    after: number | null,
  ): Promise<{
    blocked: boolean;
    take: { messageId: string; bytes: number }[];
    full: boolean;
  }> {
    if ((await manager.count(OutboxEnvelopeEntity, { where: { status: 'failed' } })) > 0) {
      return { blocked: true, take: [], full: false };
    }
    return {
      blocked: false,
      ...headOfLine(
        await pendingEnvelopeSizes(manager, after, this.budget.maxEnvelopes + 1),
        this.budget,
      ),
    };
  }

  /**
   * Puts queued rows into signed envelopes, in write order, in one transaction: seq continues
   * from the last one assigned (gaps are fine, order is what counts). Returns the rows claimed,
   * and whether more were queued than one claim takes.
   */
  private async claim(): Promise<{ rows: number; more: boolean }> {
    const take = this.config.sync.batchSize * ENVELOPES_PER_CLAIM;
    const asked = Date.now();
    let started = asked;
    const claimed = await this.db.transaction(async (manager) => {
      started = Date.now();
      const rows = await this.queuedChanges(manager, take);
      if (rows.length === 0) return { rows: 0, more: false };
      let lastSeq = Number((await this.meta.get(manager, 'last_seq')) ?? '0');
      // The envelope's timestamp: the ship's clock, as its edit times.
      const now = this.clock.isoNow();
      for (const chunk of splitIntoEnvelopes(
        rows,
        this.config.sync.batchSize,
        MAX_ENVELOPE_BYTES,
      )) {
        lastSeq = await this.seal(manager, chunk, lastSeq, now);
      }
      await this.meta.set(manager, 'last_seq', String(lastSeq));
      return { rows: rows.length, more: rows.length === take };
    });
    if (claimed.rows > 0) {
      this.logger.debug(
        `Sealed ${claimed.rows} change(s) in ${Date.now() - started} ms (${started - asked} ms waiting for the database)`,
      );
    }
    return claimed;
  }

  /**
   * The oldest queued rows, only the columns a seal reads, as plain rows: hydrating whole
   * entities was half of a claim's time.
   */
  private async queuedChanges(manager: EntityManager, take: number): Promise<QueuedChange[]> {
    const rows = await manager
      .createQueryBuilder(OutboxChangeEntity, 'c')
      .select('c.id', 'id')
      .addSelect('c.change_id', 'changeId')
      .addSelect('c.doc_key', 'docKey')
      .addSelect('c.type', 'type')
      .addSelect('c.document_id', 'documentId')
      .addSelect('c.locale', 'locale')
      .addSelect('c.op', 'op')
      .addSelect('c.base_version', 'baseVersion')
      .addSelect('c.fields', 'fields')
      .addSelect('c.edited_at', 'editedAt')
      .where('c.status = :status', { status: 'pending' })
      .orderBy('c.id', 'ASC')
      .limit(take)
      .getRawMany<QueuedChange>();
    // PostgreSQL may hand integers back as strings.
    return rows.map((row) => ({
      ...row,
      id: Number(row.id),
      baseVersion: Number(row.baseVersion),
    }));
  }

  /** Seals one envelope; returns the last seq it assigned. */
  private async seal(
    manager: EntityManager,
    rows: QueuedChange[],
    lastSeq: number,
    now: string,
  ): Promise<number> {
    const messageId = uuidV7();
    // seq = lastSeq + (id - firstId + 1): increasing in write order, computed in one statement.
    const firstId = rows[0].id;
    const seqOf = (row: QueuedChange): number => lastSeq + row.id - firstId + 1;
    const changes: ShipChangeDto[] = [];
    const invalid: { row: QueuedChange; reason: string }[] = [];
    for (const row of rows) {
      // Keys in canonical order: the signature's canonical bytes and the master's are then
      // mostly one JSON.stringify (canonicalJson).
      const change: ShipChangeDto = {
        baseVersion: row.baseVersion,
        changeId: row.changeId,
        documentId: row.documentId,
        editedAt: row.editedAt,
        fields: inCanonicalKeyOrder(JSON.parse(row.fields) as Record<string, unknown>),
        locale: row.locale,
        op: row.op,
        seq: seqOf(row),
        type: row.type,
      };
      // One bad change must not make the master dead-letter the whole envelope.
      const checked = validateContract(ShipChangeDto, change);
      if (checked.ok) changes.push(change);
      else invalid.push({ row, reason: checked.errors.join('; ') });
    }
    const ids = rows.map((row) => row.id);
    await manager
      .createQueryBuilder()
      .update(OutboxChangeEntity)
      .set({
        status: 'sending',
        messageId,
        updatedAt: now,
        seq: () => `${lastSeq - firstId + 1} + id`,
      })
      .where('id IN (:...ids)', { ids: padInList(ids) })
      .execute();
    const refused = new Map<string, DocumentOutcome[]>();
    for (const { row, reason } of invalid) {
      this.logger.error(`Change ${row.changeId} cannot be sent (${reason}); kept as rejected`);
      const detail = `invalid-change: ${reason}`;
      await manager.update(
        OutboxChangeEntity,
        { id: row.id },
        { status: 'rejected', messageId: null, reason: detail, settledAt: now },
      );
      const list = refused.get(row.docKey) ?? [];
      list.push({ outcome: { status: 'rejected', reason: detail }, reportedAt: now });
      refused.set(row.docKey, list);
    }
    // The document shows the refusal too, as it would a rejection by the master.
    await settleDocuments(manager, this.outbox, refused);
    const last = seqOf(rows[rows.length - 1]);
    if (changes.length === 0) return last;
    const envelope = signEnvelope(
      {
        sender: this.config.shipId,
        kind: MessageKind.ShipChanges,
        payload: { changes },
        messageId,
        timestamp: now,
      },
      this.signingKey,
    );
    // insertRows binds the numbers (TypeORM's SQLite driver writes them into the text, making
    // every envelope's INSERT a statement of its own: statement-sizes).
    const row = Object.assign(new OutboxEnvelopeEntity(), {
      messageId,
      firstSeq: changes[0].seq,
      lastSeq: changes[changes.length - 1].seq,
      changeCount: changes.length,
      body: JSON.stringify(envelope),
      status: 'pending',
      attempts: 0,
      lastError: null,
      createdAt: now,
      sentAt: null,
    });
    await insertRows(manager, OutboxEnvelopeEntity, [row], { rowsPerStatement: 1 });
    return last;
  }

  /** Sends one group with retries; resolves once the broker confirmed it or the tries ran out. */
  private async publish(group: OutboxEnvelopeEntity[]): Promise<PublishResult> {
    const changeCount = countChanges(group);
    const started = Date.now();
    let tries = 0;
    try {
      await sendWithRetry(
        async () => {
          tries += 1;
          const stop = this.metrics.sendDuration.startTimer();
          await this.publisher.publish(
            this.config.topics.shipUpdates,
            group.map((e) => ({ key: this.config.shipId, encoded: e.body })),
          );
          stop();
        },
        {
          retryAttempts: this.config.sync.retryAttempts,
          retryDelayMs: this.config.sync.retryDelayMs,
          signal: this.abort.signal,
          onRetry: ({ attempt, delayMs, error }) =>
            this.logger.warn(
              `Sending ${changeCount} change(s) failed (try ${attempt}), retrying in ${delayMs} ms: ${describe(error)}`,
            ),
        },
      );
      this.logger.debug(
        `Broker acknowledged ${changeCount} change(s) in ${group.length} envelope(s) after ${Date.now() - started} ms`,
      );
      return { status: 'sent', tries };
    } catch (error) {
      // Cancelled by shutdown: the envelope stays pending and is re-sent as it is after restart.
      if (error instanceof SendCancelledError) return { status: 'cancelled' };
      const reason = describe(error instanceof SendFailedError ? error.cause : error);
      return { status: 'failed', tries, reason };
    }
  }

  /**
   * The broker has the group: its envelopes and rows are sent. (A crash before this commits only
   * means the very same bytes are sent again, which the master recognises.)
   */
  private async markSent(group: readonly OutboxEnvelopeEntity[], tries: number): Promise<void> {
    // Ids and a count only: the bodies need not live until the mark has run.
    const ids = group.map((e) => e.messageId);
    const changeCount = countChanges(group);
    for (const chunk of chunked(ids, ENVELOPES_PER_MARK)) {
      await this.db.transaction(async (manager) => {
        const now = isoNow();
        await manager.update(
          OutboxEnvelopeEntity,
          { messageId: inList(chunk) },
          { status: 'sent', sentAt: now, attempts: tries, lastError: null },
        );
        await manager.update(
          OutboxChangeEntity,
          { messageId: inList(chunk), status: In(['sending', 'failed']) },
          { status: 'sent', sentAt: now, updatedAt: now, attempts: tries, lastError: null },
        );
        await this.meta.set(manager, 'last_push_at', now);
      }, 'replayable');
    }
    this.metrics.messages.inc({ status: 'sent' }, changeCount);
    // Structured fields: a fleet's logs can be joined on the envelope's message id.
    this.logger.debug({
      msg: `Sent ${changeCount} change(s) in ${ids.length} envelope(s)`,
      messageIds: ids,
    });
  }

  private async markFailed(
    group: OutboxEnvelopeEntity[],
    tries: number,
    reason: string,
  ): Promise<void> {
    const ids = group.map((e) => e.messageId);
    await this.db.transaction(async (manager) => {
      const now = isoNow();
      await manager.update(
        OutboxEnvelopeEntity,
        { messageId: inList(ids) },
        { status: 'failed', attempts: tries, lastError: reason },
      );
      await manager.update(
        OutboxChangeEntity,
        { messageId: inList(ids), status: 'sending' },
        { status: 'failed', attempts: tries, lastError: reason, updatedAt: now },
      );
    });
    const changeCount = countChanges(group);
    this.metrics.messages.inc({ status: 'failed' }, changeCount);
    this.logger.warn({
      msg: `${changeCount} change(s) in ${ids.length} envelope(s) failed after ${tries} tries; kept as failed until reconnect or push: ${reason}`,
      messageIds: ids,
    });
  }
}

/** A queued change as a seal reads it. */
type QueuedChange = Pick<
  OutboxChangeEntity,
  | 'id'
  | 'changeId'
  | 'docKey'
  | 'type'
  | 'documentId'
  | 'locale'
  | 'op'
  | 'baseVersion'
  | 'fields'
  | 'editedAt'
>;

/** How a send ended: the broker has it, shutdown cut its retries short, or every try failed. */
type PublishResult =
  | { status: 'sent'; tries: number }
  | { status: 'cancelled' }
  | { status: 'failed'; tries: number; reason: string };

function countChanges(group: readonly OutboxEnvelopeEntity[]): number {
  return group.reduce((sum, e) => sum + e.changeCount, 0);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
