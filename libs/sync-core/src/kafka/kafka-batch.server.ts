import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { IBackoff, IBackoffFactory } from 'cockatiel';
import { errorMessage } from '../errors/error-message';
import { exponentialBackoff } from '../retry/backoff';
import {
  logLevel,
  type Consumer,
  type ConsumerConfig,
  type EachBatchPayload,
  type KafkaConfig,
  type KafkaMessage,
  type Kafka,
} from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { slicesOf } from './batch-slices';
import type { DeadLetterEntry, DeadLetterSink } from './dead-letter-sink';
import { deadLetterSource } from './dead-letter-source';
import type { IncomingKafkaBatch, IncomingKafkaMessage } from './incoming-kafka-message';
import { KafkaBatchContext } from './kafka-batch.context';
import { createKafka, kafkaClientFromEnv, type KafkaClientName } from './kafka-client';
import { nestKafkaLogCreator } from './kafka-logger';
import { isHeldMessageError, isPermanentMessageError } from './message-failure';

export interface StoredPosition {
  topic: string;
  partition: number;
  /** Offset of the next message to read. */
  offset: string;
}

/** A partition held at a message its handler cannot verify yet (HeldMessageError). */
export interface PartitionHold {
  topic: string;
  partition: number;
  /** Offset of the held message: nothing from it on is handed over. */
  offset: string;
  reason: string;
  detail: string;
  /** When this process first held at this offset (ISO 8601). */
  since: string;
  /** How often the message has been offered to the handler and held. */
  attempts: number;
  /** When it is offered again (ISO 8601). */
  nextAttemptAt: string;
}

export interface KafkaBatchServerOptions {
  kafka: KafkaConfig;
  /** Consumer group id, used exactly as given (no postfix). */
  groupId: string;
  /** Logical pattern (as in `@EventPattern`) → Kafka topic name. */
  topics: Record<string, string>;
  deadLetters: DeadLetterSink;
  /** Read topics from the start when the group has no committed offset. Default true. */
  fromBeginning?: boolean;
  /**
   * Positions the application keeps in its own database. When given, the consumer seeks there on
   * start, so it never depends on the broker keeping the group's offsets.
   */
  loadPositions?: () => Promise<StoredPosition[]>;
  partitionsConsumedConcurrently?: number;
  /** Most bytes one fetch takes from one partition (compressed, as stored). Default 4 MiB. */
  maxBytesPerPartition?: number;
  /**
   * Most messages handed to a handler in one call (one database transaction, say). A larger
   * fetched batch is handled in slices of this many, in order, each decoded only when its turn
   * comes: what a handler builds lives for one slice, not for the whole fetch, and the event loop
   * (heartbeats) gets its turn between slices. Default: the whole fetched batch at once.
   */
  maxMessagesPerDispatch?: number;
  /**
   * Most bytes (message values as received) in one slice, at least one message: a topic whose
   * messages carry thousands of items each (outcome batches) is sliced by size as well as count,
   * so one slice stays one short unit of work.
   */
  maxBytesPerDispatch?: number;
  /**
   * maxMessagesPerDispatch and maxBytesPerDispatch for one pattern's topic in place of the
   * defaults above: a topic of small messages each handled cheaply (heartbeats) takes larger
   * slices than one whose messages carry a lot of work.
   */
  dispatchLimits?: Record<string, { maxMessages?: number; maxBytes?: number }>;
  sessionTimeoutMs?: number;
  /** Longest a fetch waits for data; also bounds how long a shutdown waits for the fetch. */
  maxWaitTimeMs?: number;
  /** Backoff for failures of the environment; retried until they succeed. */
  retry?: { initialDelayMs: number; maxDelayMs: number };
  /** How often a held partition is offered again. Default from 1 s, doubling up to 30 s. */
  holdRetry?: { initialDelayMs: number; maxDelayMs: number };
  kafkaLogLevel?: logLevel;
  /** The client library (KAFKA_CLIENT when not given). */
  client?: KafkaClientName;
}

/**
 * A Nest transport strategy that hands whole Kafka batches to `@EventPattern` handlers, through
 * Nest's pipes, guards, interceptors and filters, and commits offsets only after the handler has
 * finished (so a handler can commit its database transaction first: commit, then ack).
 *
 * Failure handling, per batch:
 * - a value that is not JSON never reaches the handler: it goes to the dead-letter sink;
 * - a permanent failure (validation, signature...) of a multi-message batch re-runs its messages
 *   one at a time, so the poison message alone is dead-lettered and the rest flows;
 * - any other failure is treated as transient: the same messages are retried with exponential
 *   backoff and nothing is committed, which keeps per-key order;
 * - a HeldMessageError (a message a later configuration could verify) hands over the messages
 *   before it, then pauses the partition at that message without committing past it, and offers
 *   it again on a backoff (heldPartitions() lists such holds); the other partitions flow on.
 */
export class KafkaBatchServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(KafkaBatchServer.name);
  private kafka: Kafka | null = null;
  private consumer: Consumer | null = null;
  private readonly patternByTopic = new Map<string, string>();
  private readonly backoff: IBackoffFactory<unknown>;
  private readonly holdBackoff: IBackoffFactory<unknown>;
  private readonly holds = new Map<string, HoldState>();

  constructor(private readonly options: KafkaBatchServerOptions) {
    super();
    for (const [pattern, topic] of Object.entries(options.topics)) {
      this.patternByTopic.set(topic, pattern);
    }
    const retry = options.retry ?? { initialDelayMs: 500, maxDelayMs: 30_000 };
    this.backoff = exponentialBackoff({ initialMs: retry.initialDelayMs, maxMs: retry.maxDelayMs });
    const holdRetry = options.holdRetry ?? { initialDelayMs: 1000, maxDelayMs: 30_000 };
    this.holdBackoff = exponentialBackoff({
      initialMs: holdRetry.initialDelayMs,
      maxMs: holdRetry.maxDelayMs,
    });
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    // kafkajs waits for the batch in hand to finish before it leaves the group.
    // The batch in hand still commits its offsets through it, so it is cleared only afterwards.
    const consumer = this.consumer;
    // The holds stay listed (the next consumer reaches the same messages); their retries go.
    for (const state of this.holds.values()) clearTimeout(state.timer);
    if (consumer) await consumer.disconnect();
    // A caller that stopped waiting for a stalled consumer may have started a new one meanwhile.
    if (this.consumer !== consumer) return;
    this.consumer = null;
    this.kafka = null;
  }

  on(): never {
    throw new Error('KafkaBatchServer does not support event listeners');
  }

  unwrap<T>(): T {
    if (!this.consumer) throw new Error('KafkaBatchServer is not listening');
    return this.consumer as T;
  }

  /** The running consumer, for health checks and lag metrics. */
  getConsumer(): Consumer | null {
    return this.consumer;
  }

  /** Partitions held at a message their handler cannot verify yet, by topic and partition. */
  heldPartitions(): PartitionHold[] {
    return [...this.holds.values()]
      .map(({ hold }) => ({ ...hold }))
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  private async start(): Promise<void> {
    const patterns = [...this.messageHandlers.keys()];
    const topics = patterns.map((pattern) => {
      const topic = this.options.topics[pattern];
      if (!topic) throw new Error(`No Kafka topic configured for handler pattern "${pattern}"`);
      return topic;
    });
    if (topics.length === 0) return;

    this.kafka = createKafka(
      {
        logLevel: this.options.kafkaLogLevel ?? logLevel.WARN,
        logCreator: nestKafkaLogCreator('Kafka'),
        ...this.options.kafka,
      },
      this.options.client ?? kafkaClientFromEnv(),
    );
    const fromBeginning = this.options.fromBeginning ?? true;
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 4 * 1024 * 1024,
      maxWaitTimeInMs: this.options.maxWaitTimeMs ?? 1000,
      // For clients that take it when the consumer is made rather than at subscribe.
      fromBeginning,
    } as ConsumerConfig);
    this.consumer = consumer;
    // A partition handed to another member is that member's to hold (or not) from now on.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
      this.forgetHoldsOutside(payload.memberAssignment),
    );
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    if (this.options.loadPositions) {
      for (const position of await this.options.loadPositions()) {
        consumer.seek(position);
      }
    }
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    // A long batch (a backlog, a slow database) must not cost the group membership: without
    // heartbeats for a session timeout the coordinator evicts the member and its commit fails.
    // kafkajs sends one only when its heartbeat interval has passed, so polling is cheap.
    const keepAlive = setInterval(() => void payload.heartbeat().catch(() => undefined), 1000);
    try {
      await this.processBatch(payload);
    } finally {
      clearInterval(keepAlive);
    }
  }

  private async processBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0) return;
    const pattern = this.patternByTopic.get(batch.topic);
    if (!pattern) return;

    let last: string | null = null;
    const limits = this.options.dispatchLimits?.[pattern];
    for (const slice of slicesOf(
      batch.messages,
      limits?.maxMessages ?? this.options.maxMessagesPerDispatch,
      limits?.maxBytes ?? this.options.maxBytesPerDispatch,
    )) {
      const outcome = await this.processSlice(payload, pattern, slice);
      // Stopped partway (a shutdown, or the partition moved): what earlier slices stored stands.
      if (outcome === 'stopped') break;
      if (outcome !== 'done') {
        // Everything before the held message is handed over; the fetch position stays on it.
        const index = batch.messages.findIndex((m) => m.offset === outcome.offset);
        if (index > 0) {
          last = batch.messages[index - 1].offset;
          payload.resolveOffset(last);
        }
        this.hold(payload, outcome);
        break;
      }
      last = slice[slice.length - 1].offset;
      payload.resolveOffset(last);
      this.release(batch.topic, batch.partition, last);
      // Stopping (SIGTERM) finishes the slice in hand, not the whole fetch; the rest is re-read.
      if (!payload.isRunning() || payload.isStale()) break;
      // Sockets and timers (heartbeats, the API) get their turn before the next slice.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // Stopping (SIGTERM) still commits the slices just stored; only a batch whose partition moved
    // to another member (stale) must not commit, the new owner redelivers it.
    if (payload.isStale() || last === null) return;
    if (payload.isRunning()) {
      await this.commit(payload, last);
      await payload.heartbeat();
      return;
    }
    // Shutting down: a failed commit only means this batch is redelivered and skipped as a duplicate.
    await this.commit(payload, last).catch((error: unknown) =>
      this.logger.warn(`Offset commit during shutdown failed: ${errorMessage(error)}`),
    );
  }

  /**
   * Decodes and hands over one slice of a fetched batch, in offset order: each run of decodable
   * messages goes to the handler, each undecodable one to the dead-letter sink where it stands
   * (the sink may store a position past it, so nothing before it may still be in hand).
   * 'stopped' when the consumer stopped; a Hold when the handler held at a message.
   */
  private async processSlice(
    payload: EachBatchPayload,
    pattern: string,
    messages: KafkaMessage[],
  ): Promise<SliceOutcome> {
    const { batch } = payload;
    let run: IncomingKafkaMessage[] = [];
    for (const message of messages) {
      const incoming = decodeMessage(message);
      if (incoming.ok) {
        run.push(incoming.message);
        continue;
      }
      if (run.length > 0) {
        const delivered = await this.deliver(payload, pattern, run);
        if (delivered !== 'done') return delivered;
        run = [];
      }
      const entry = deadLetterOf(
        batch.topic,
        batch.partition,
        message,
        'malformed',
        incoming.detail,
      );
      if (
        (await this.untilDone(payload, () => this.options.deadLetters.store(entry))) === 'stopped'
      ) {
        return 'stopped';
      }
    }
    return run.length > 0 ? this.deliver(payload, pattern, run) : 'done';
  }

  /** Hands decoded messages to the handler: whole, or around a poison or held message. */
  private async deliver(
    payload: EachBatchPayload,
    pattern: string,
    decoded: IncomingKafkaMessage[],
  ): Promise<SliceOutcome> {
    const { batch } = payload;
    const heartbeat = (): Promise<void> => payload.heartbeat();
    const context = (): KafkaBatchContext =>
      new KafkaBatchContext([batch.topic, batch.partition, heartbeat, batch.highWatermark]);
    const dispatch = (slice: IncomingKafkaMessage[]): Promise<void> =>
      this.dispatch(
        pattern,
        { topic: batch.topic, partition: batch.partition, messages: slice },
        context(),
      );

    const whole = await this.untilDone(payload, () => dispatch(decoded), true);
    if (whole === 'stopped' || whole === 'done') return whole;
    if (whole.kind === 'held') {
      // The handler refused the whole run: what precedes the held message goes on its own.
      const found = decoded.findIndex((m) => m.offset === whole.offset);
      const index = found < 0 ? 0 : found;
      if (index > 0) {
        const before = await this.deliver(payload, pattern, decoded.slice(0, index));
        if (before !== 'done') return before;
      }
      return { ...whole, offset: decoded[index].offset };
    }
    // A permanent failure: find the poison message(s) by re-running one at a time, in order.
    for (const single of decoded) {
      const result =
        decoded.length === 1
          ? whole
          : await this.untilDone(payload, () => dispatch([single]), true);
      if (result === 'stopped') return 'stopped';
      if (result !== 'done' && result.kind === 'held') return { ...result, offset: single.offset };
      if (result !== 'done') {
        const entry = {
          ...deadLetterSource(batch.topic, batch.partition, single),
          reason: result.reason,
          detail: result.detail,
        };
        const stored = await this.untilDone(payload, () => this.options.deadLetters.store(entry));
        if (stored === 'stopped') return 'stopped';
      }
      payload.resolveOffset(single.offset);
    }
    return 'done';
  }

  /**
   * Pauses the partition at the held message and resumes it after the hold backoff: kafkajs then
   * fetches from the last resolved offset, the held message, and offers it to the handler again.
   */
  private hold(payload: EachBatchPayload, held: Hold): void {
    const { topic, partition } = payload.batch;
    const key = holdKey(topic, partition);
    const previous = this.holds.get(key);
    const again = previous?.hold.offset === held.offset;
    if (previous) clearTimeout(previous.timer);
    const backoff = again ? previous.backoff.next(undefined) : this.holdBackoff.next(undefined);
    const now = Date.now();
    const hold: PartitionHold = {
      topic,
      partition,
      offset: held.offset,
      reason: held.reason,
      detail: held.detail,
      since: again ? previous.hold.since : new Date(now).toISOString(),
      attempts: again ? previous.hold.attempts + 1 : 1,
      nextAttemptAt: new Date(now + backoff.duration).toISOString(),
    };
    if (!again) {
      this.logger.warn(
        `Holding ${topic}[${partition}] at offset ${held.offset} (${held.reason}: ${held.detail}); nothing after it is applied until it can be`,
      );
    }
    const resume = payload.pause();
    const timer = setTimeout(resume, backoff.duration);
    timer.unref();
    this.holds.set(key, { hold, backoff, timer });
  }

  /** Ends a hold the partition has moved past (its message was handed over, or sought past). */
  private release(topic: string, partition: number, lastOffset: string): void {
    const key = holdKey(topic, partition);
    const state = this.holds.get(key);
    if (!state || BigInt(state.hold.offset) > BigInt(lastOffset)) return;
    clearTimeout(state.timer);
    this.holds.delete(key);
    this.logger.log(
      `${topic}[${partition}] no longer held at offset ${state.hold.offset} (held since ${state.hold.since})`,
    );
  }

  private forgetHoldsOutside(assignment: Record<string, number[]>): void {
    for (const [key, state] of this.holds) {
      if (!(assignment[state.hold.topic] ?? []).includes(state.hold.partition)) {
        clearTimeout(state.timer);
        this.holds.delete(key);
      }
    }
  }

  private async dispatch(
    pattern: string,
    data: IncomingKafkaBatch,
    context: KafkaBatchContext,
  ): Promise<void> {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) throw new Error(`No handler for pattern "${pattern}"`);
    const result = this.transformToObservable(await handler(data, context));
    await lastValueFrom(result, { defaultValue: undefined });
  }

  /**
   * Runs `work` until it succeeds. Transient failures are retried with backoff for as long as the
   * consumer runs; with `classify`, a permanent failure is returned instead of retried.
   */
  private async untilDone(
    payload: EachBatchPayload,
    work: () => Promise<void>,
    classify = false,
  ): Promise<'done' | 'stopped' | Refusal> {
    let backoff = this.backoff.next(undefined);
    for (;;) {
      try {
        await work();
        return 'done';
      } catch (error) {
        if (classify && isPermanentMessageError(error)) {
          // The caller decides what a permanent failure means for the batch or the message.
          return { kind: 'permanent', reason: error.reason, detail: error.detail };
        }
        if (classify && isHeldMessageError(error)) {
          return { kind: 'held', offset: error.offset, reason: error.reason, detail: error.detail };
        }
        this.logger.warn(
          `Processing ${payload.batch.topic}[${payload.batch.partition}] failed, retrying in ${backoff.duration} ms: ${errorMessage(error)}`,
        );
      }
      if (!payload.isRunning() || payload.isStale()) return 'stopped';
      await sleep(backoff.duration);
      await payload.heartbeat().catch(() => undefined);
      if (!payload.isRunning() || payload.isStale()) return 'stopped';
      backoff = backoff.next(undefined);
    }
  }

  /**
   * Through the batch's own commit: `consumer.commitOffsets` silently does nothing once the
   * consumer is stopping, which would leave the batch in hand at SIGTERM unacknowledged.
   */
  private async commit(payload: EachBatchPayload, lastOffset: string): Promise<void> {
    const { topic, partition } = payload.batch;
    const offset = (BigInt(lastOffset) + 1n).toString();
    await payload.commitOffsetsIfNecessary({
      topics: [{ topic, partitions: [{ partition, offset }] }],
    });
  }
}

type PermanentFailure = { kind: 'permanent'; reason: string; detail: string };
type Hold = { kind: 'held'; offset: string; reason: string; detail: string };
type Refusal = PermanentFailure | Hold;
type SliceOutcome = 'done' | 'stopped' | Hold;

interface HoldState {
  hold: PartitionHold;
  backoff: IBackoff<unknown>;
  timer: NodeJS.Timeout;
}

function holdKey(topic: string, partition: number): string {
  return `${partition} ${topic}`;
}

type Decoded = { ok: true; message: IncomingKafkaMessage } | { ok: false; detail: string };

function decodeMessage(message: KafkaMessage): Decoded {
  const raw = message.value ?? Buffer.alloc(0);
  const text = raw.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, detail: `value is not JSON (${errorMessage(error)})` };
  }
  return {
    ok: true,
    message: {
      offset: message.offset,
      key: message.key ? message.key.toString('utf8') : null,
      timestamp: message.timestamp,
      headers: headersOf(message),
      size: raw.length,
      value,
      raw: text,
    },
  };
}

function headersOf(message: KafkaMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return headers;
}

function deadLetterOf(
  topic: string,
  partition: number,
  message: KafkaMessage,
  reason: string,
  detail: string,
): DeadLetterEntry {
  const raw = message.value ?? Buffer.alloc(0);
  const utf8 = raw.toString('utf8');
  const isUtf8 = Buffer.from(utf8, 'utf8').equals(raw);
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString('utf8') : null,
    value: isUtf8 ? utf8 : raw.toString('base64'),
    valueEncoding: isUtf8 ? 'utf8' : 'base64',
    headers: headersOf(message),
    reason,
    detail,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
