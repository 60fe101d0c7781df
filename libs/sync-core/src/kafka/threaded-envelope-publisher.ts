import { Logger } from '@nestjs/common';
import { logLevel, type LogEntry } from 'kafkajs';
import type { MessagePort } from 'node:worker_threads';
import { encodeEnvelope } from '../envelope/envelope-codec';
import {
  ENVELOPE_PRODUCER_CONFIG,
  EnvelopePublisher,
  envelopeSendSettings,
  kafkaHeadersOf,
  type EnvelopePublisherOptions,
  type OutgoingEnvelope,
} from './envelope-publisher';
import { BackgroundThread, type TaskStartFailure } from '../threads/background-thread';
import { KAFKA_CLIENT_RUNS_ON_WORKER, kafkaClientFromEnv, kafkaClientModule } from './kafka-client';
import { nestKafkaLogCreator } from './kafka-logger';

/** What the task reports of a request it was given. */
type TaskReply =
  | TaskStartFailure
  | { type: 'done'; id: number; error?: { name: string; message: string } }
  | { type: 'log'; level: logLevel; namespace: string; log: LogEntry['log'] }
  | { type: 'connected' };

/** Bytes of envelopes sent between two full collections of the producer thread's heap. */
const COLLECT_AFTER_BYTES = 1024 * 1024;

/**
 * The task: the same producer EnvelopePublisher makes (settings passed in, not repeated here),
 * on the background thread's event loop. Requests are numbered; each is answered with its number.
 * A 'close' request disconnects and ends the task.
 */
const PRODUCER_TASK = `
const workerData = data;
const parentPort = port;
const { Kafka } = require(workerData.driver);
let quiet = 0;
const kafka = new Kafka({
  ...workerData.kafka,
  logLevel: workerData.logLevel,
  logCreator: () => ({ namespace, level, log }) => {
    // A quiet warm-up is a probe of a link that may well be down: its failures are expected.
    if (quiet === 0) parentPort.postMessage({ type: 'log', level, namespace, log });
  },
});
// The thread's heap is small (~8 MB), so V8 seldom runs a full collection here, while a sent
// request's buffers (its values, their Kafka encoding, the compressed batch: a few times its
// size) outlive a few scavenges and then wait for one: up to 10 MB of them while a ship flushed a
// backlog. A full collection of this heap takes a few ms: one per ${COLLECT_AFTER_BYTES} bytes sent.
const collect = (() => {
  try {
    require('v8').setFlagsFromString('--expose-gc');
    return require('vm').runInNewContext('gc');
  } catch {
    return null;
  }
})();
let sentSinceCollect = 0;
let producer = null;
let connecting = null;
const connect = () => {
  if (producer) return Promise.resolve(producer);
  connecting = connecting || (async () => {
    const created = kafka.producer(workerData.producer);
    created.on(created.events.DISCONNECT, () => { if (producer === created) producer = null; });
    await created.connect();
    producer = created;
    parentPort.postMessage({ type: 'connected' });
    return created;
  })().finally(() => { connecting = null; });
  return connecting;
};
const disconnect = async () => {
  const current = producer;
  producer = null;
  if (current) await current.disconnect().catch(() => undefined);
};
parentPort.on('message', async (request) => {
  try {
    if (request.type === 'send') {
      const ready = await connect();
      await ready.send({
        ...workerData.send,
        topic: request.topic,
        messages: request.messages.map((m) => ({ key: m.key, value: Buffer.from(m.value), headers: m.headers })),
      });
      for (const m of request.messages) sentSinceCollect += m.value.length;
      if (collect && sentSinceCollect >= ${COLLECT_AFTER_BYTES}) {
        sentSinceCollect = 0;
        collect();
      }
    } else if (request.type === 'connect') {
      await connect();
    } else if (request.type === 'warm') {
      const hush = request.quiet ? 1 : 0;
      quiet += hush;
      try {
        // A fresh connection: one from before may still count as connected after a link died, and
        // a warm-up must reach the broker to prove anything.
        await disconnect();
        const ready = await connect();
        // Best effort, after the answer: no messages, so kafkajs only fetches the topics'
        // metadata, as a first send would (a topic not created yet is no reason to fail).
        ready
          .sendBatch({ ...workerData.send, topicMessages: request.topics.map((topic) => ({ topic, messages: [] })) })
          .catch(() => undefined)
          .finally(() => { quiet -= hush; });
      } catch (error) {
        quiet -= hush;
        throw error;
      }
    } else if (request.type === 'disconnect') {
      await disconnect();
    } else if (request.type === 'close') {
      await disconnect();
      parentPort.postMessage({ type: 'done', id: request.id });
      parentPort.close();
      return;
    }
    parentPort.postMessage({ type: 'done', id: request.id });
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    parentPort.postMessage({ type: 'done', id: request.id, error: { name: failure.name, message: failure.message } });
  }
});
`;

/**
 * EnvelopePublisher's producer, run on a worker thread. A kafkajs send passes through many turns
 * of the event loop (locks, compression, the socket, the response) and each turn waits for
 * whatever else the loop is doing: on a ship, whose SQLite runs on the event loop, a 700 KB
 * request took ~2 s longer than the link needed while the ship settled outcomes and sealed the
 * next request (measured over a 2 Mbit/s, 600 ms link: 5.8 s against 3.9 s). On its own thread the
 * producer keeps the link busy whatever the app does. The envelopes are copied to the thread
 * as strings (a few ms for a full request). The thread may be shared with other tasks
 * (`thread`); without one the publisher has a thread of its own.
 */
export class ThreadedEnvelopePublisher {
  private readonly logger = new Logger(ThreadedEnvelopePublisher.name);
  private readonly kafkaLog = nestKafkaLogCreator('Kafka')(logLevel.NOTHING);
  private readonly thread: BackgroundThread;
  private port: MessagePort | null = null;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  /** The producer on this thread, for a client library that cannot be loaded on a worker. */
  private readonly inline: EnvelopePublisher | null;

  constructor(
    private readonly options: EnvelopePublisherOptions,
    thread?: BackgroundThread,
  ) {
    const client = options.client ?? kafkaClientFromEnv();
    this.inline = KAFKA_CLIENT_RUNS_ON_WORKER[client] ? null : new EnvelopePublisher(options);
    this.thread =
      thread ??
      new BackgroundThread((error) => this.logger.error(`Kafka producer thread: ${error.message}`));
  }

  /** Resolves once the broker has every envelope; throws when it is out of reach. */
  async publish(topic: string, envelopes: OutgoingEnvelope[]): Promise<void> {
    if (envelopes.length === 0) return;
    if (this.inline) {
      await this.inline.publish(topic, envelopes);
      return;
    }
    await this.request({
      type: 'send',
      topic,
      messages: envelopes.map((e) => ({
        key: e.key,
        value: 'encoded' in e ? e.encoded : encodeEnvelope(e.envelope).toString('utf8'),
        headers: kafkaHeadersOf(e),
      })),
    });
  }

  async connect(): Promise<void> {
    if (this.inline) await this.inline.connect();
    else await this.request({ type: 'connect' });
  }

  /**
   * Connects afresh (dropping any producer it had), resolving once the broker answered, then
   * fetches the metadata of `topics`, so the next send to them costs its own request only (over a
   * satellite each of those steps is a 600 ms round trip). `quiet`: kafkajs logs nothing meanwhile
   * (for probing a link that is likely down).
   */
  async warm(topics: string[], { quiet = false }: { quiet?: boolean } = {}): Promise<void> {
    if (this.inline) {
      await this.inline.disconnect();
      await this.inline.connect();
      return;
    }
    await this.request({ type: 'warm', topics, quiet });
  }

  /** Drops the producer (a fresh one connects on the next send); the task stays. */
  async disconnect(): Promise<void> {
    if (this.inline) await this.inline.disconnect();
    if (!this.port) return;
    // A task that ended meanwhile (closed, or its thread died) holds no producer to drop.
    await this.request({ type: 'disconnect' }).catch(() => undefined);
  }

  /** Disconnects and ends the task (and the thread, when no other task runs on it). */
  async close(): Promise<void> {
    if (this.inline) await this.inline.disconnect();
    const port = this.port;
    if (!port) return;
    const closed = new Promise<void>((resolve) => port.once('close', () => resolve()));
    await this.request({ type: 'close' }).catch(() => undefined);
    await closed;
  }

  private request(body: Record<string, unknown>): Promise<void> {
    const port = this.start();
    const id = this.nextId;
    this.nextId += 1;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      port.postMessage({ ...body, id });
    });
  }

  private start(): MessagePort {
    if (this.port) return this.port;
    const port = this.thread.run({
      name: 'Kafka producer',
      source: PRODUCER_TASK,
      data: {
        driver: kafkaClientModule(this.options.client ?? kafkaClientFromEnv()),
        kafka: this.options.kafka,
        logLevel: this.options.kafkaLogLevel ?? logLevel.WARN,
        // The send settings go along for clients that take them once, when the producer is made.
        producer: { ...ENVELOPE_PRODUCER_CONFIG, ...envelopeSendSettings(this.options) },
        send: envelopeSendSettings(this.options),
      },
    });
    port.on('message', (reply: TaskReply) => this.onReply(reply));
    port.once('close', () => {
      if (this.port === port) this.port = null;
      // A request in flight has no answer coming: a close it asked for, or the thread died.
      this.failAll(new Error('Kafka producer thread ended'));
    });
    this.port = port;
    return port;
  }

  private onReply(reply: TaskReply): void {
    if (reply.type === 'log') {
      this.kafkaLog({ namespace: reply.namespace, level: reply.level, label: '', log: reply.log });
      return;
    }
    if (reply.type === 'connected') {
      this.logger.log('Kafka producer connected');
      return;
    }
    if (reply.type === 'task-failed') {
      this.logger.error(reply.message);
      return;
    }
    const waiter = this.waiting.get(reply.id);
    if (!waiter) return;
    this.waiting.delete(reply.id);
    if (!reply.error) {
      waiter.resolve();
      return;
    }
    const error = new Error(reply.error.message);
    error.name = reply.error.name;
    waiter.reject(error);
  }

  private failAll(error: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
