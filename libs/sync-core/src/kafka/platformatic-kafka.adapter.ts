import { Logger } from '@nestjs/common';
import {
  Consumer,
  MessagesStreamFallbackModes,
  MessagesStreamModes,
  Producer,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka';
import {
  Kafka as KafkaJsKafka,
  logLevel,
  type Admin,
  type ConsumerRunConfig,
  type IHeaders,
  type KafkaConfig,
  type KafkaMessage,
  type ProducerBatch,
  type ProducerRecord,
  type RecordMetadata,
} from 'kafkajs';
import { AdapterEvents, compressionName } from './adapter-events';
import type { AdapterConsumerConfig, AdapterProducerConfig } from './confluent-kafka.adapter';
import { murmur2 } from './key-hash.partitioner';
import { errorMessage } from '../errors/error-message';

type Bytes = Buffer;
type PlainProducer = Producer<Bytes, Bytes, Bytes, Bytes>;
type PlainConsumer = Consumer<Bytes, Bytes, Bytes, Bytes>;
type PlainMessage = Message<Bytes, Bytes, Bytes, Bytes>;

/**
 * @platformatic/kafka behind the part of kafkajs' API the data path uses. Its consumer is a
 * stream of single messages; kafkajs' eachBatch (a partition's fetched messages at once, offsets
 * resolved and committed by the handler, a partition paused at a message and offered again) is
 * rebuilt here over per-partition queues. Admin requests stay on kafkajs.
 */
export class Kafka {
  constructor(private readonly config: KafkaConfig) {}

  producer(config: AdapterProducerConfig = {}): PlatformaticProducer {
    return new PlatformaticProducer(this.config, config);
  }

  consumer(config: AdapterConsumerConfig): PlatformaticConsumer {
    return new PlatformaticConsumer(this.config, config);
  }

  admin(): Admin {
    return new KafkaJsKafka({ ...this.config, logLevel: logLevel.NOTHING }).admin();
  }
}

function baseOptions(config: KafkaConfig) {
  if (typeof config.brokers === 'function') {
    throw new Error('KAFKA_CLIENT=platformatic needs a broker list');
  }
  const sasl = config.sasl && 'password' in config.sasl ? config.sasl : undefined;
  const options = {
    clientId: config.clientId ?? 'offline-sync',
    bootstrapBrokers: config.brokers,
    connectTimeout: config.connectionTimeout,
    timeout: config.requestTimeout,
    retries: config.retry?.retries ?? 5,
    retryDelay: config.retry?.initialRetryTime ?? 300,
    ...(config.ssl ? { tls: config.ssl === true ? {} : config.ssl } : {}),
    ...(sasl
      ? {
          sasl: {
            mechanism: sasl.mechanism.toUpperCase() as 'PLAIN',
            username: sasl.username,
            password: sasl.password,
          },
        }
      : {}),
  };
  // The library's defaults stand where the configuration says nothing.
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as typeof options;
}

function bytes(value: Buffer | string | null | undefined): Buffer | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

class PlatformaticProducer extends AdapterEvents {
  private producer: PlainProducer | null = null;
  private next = 0;

  constructor(
    private readonly kafka: KafkaConfig,
    private readonly config: AdapterProducerConfig,
  ) {
    super();
  }

  private client(): PlainProducer {
    this.producer ??= new Producer<Bytes, Bytes, Bytes, Bytes>({
      ...baseOptions(this.kafka),
      idempotent: this.config.idempotent,
      acks: this.config.acks ?? -1,
      compression: compressionName(this.config.compression),
      autocreateTopics: this.config.allowAutoTopicCreation ?? false,
      // kafkajs' default: Java's murmur2 of the key, positive, modulo the partition count (which
      // the library applies to what this returns).
      partitioner: (_message, key) => {
        if (key) return murmur2(key) & 0x7fffffff;
        this.next = (this.next + 1) & 0x7fffffff;
        return this.next;
      },
    });
    return this.producer;
  }

  async connect(): Promise<void> {
    await this.client().metadata({ topics: [] });
    this.emit(this.events.CONNECT);
  }

  async disconnect(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    if (producer) await producer.close();
    this.emit(this.events.DISCONNECT);
  }

  async send(record: ProducerRecord): Promise<RecordMetadata[]> {
    return this.sendBatch({ topicMessages: [record] });
  }

  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    const topics = (batch.topicMessages ?? []).map((t) => t.topic);
    const messages = (batch.topicMessages ?? []).flatMap((t) =>
      t.messages.map((m) => ({
        topic: t.topic,
        key: bytes(m.key),
        value: bytes(m.value) ?? Buffer.alloc(0),
        partition: m.partition ?? undefined,
        headers: headerMap(m.headers),
      })),
    );
    if (messages.length === 0) {
      await this.client().metadata({ topics });
      return [];
    }
    const result = await this.client().send({ messages });
    return (result.offsets ?? []).map((o) => ({
      topicName: o.topic,
      partition: o.partition,
      errorCode: 0,
      baseOffset: o.offset.toString(),
    }));
  }
}

function headerMap(headers: IHeaders | undefined): Map<Buffer, Buffer> | undefined {
  if (!headers) return undefined;
  const map = new Map<Buffer, Buffer>();
  for (const [name, value] of Object.entries(headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    const b = bytes(first);
    if (b) map.set(Buffer.from(name, 'utf8'), b);
  }
  return map;
}

function toKafkaJsMessage(message: PlainMessage): KafkaMessage {
  const headers: IHeaders = {};
  for (const [name, value] of message.headers) headers[name.toString('utf8')] = value;
  return {
    key: message.key ?? null,
    value: message.value ?? null,
    timestamp: message.timestamp.toString(),
    attributes: 0,
    offset: message.offset.toString(),
    size: message.value?.length ?? 0,
    headers,
  } as unknown as KafkaMessage;
}

const partitionKey = (topic: string, partition: number): string => `${partition} ${topic}`;

/**
 * kafkajs' eachBatch over the library's message stream: fetched messages wait in a queue per
 * partition; the handler gets all of a partition's queued messages at once, and what it did not
 * resolve stays queued for the next call (a failure or a pause leaves them to be offered again).
 */
class PlatformaticConsumer extends AdapterEvents {
  private readonly logger = new Logger('Kafka');
  private consumer: PlainConsumer | null = null;
  private stream: MessagesStream<Bytes, Bytes, Bytes, Bytes> | null = null;
  private topics: string[] = [];
  private fromBeginning: boolean;
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly queues = new Map<string, PlainMessage[]>();
  private readonly paused = new Set<string>();
  /** Next offset to hand over, per partition, after a seek. */
  private readonly seeks = new Map<string, bigint>();
  private readonly stale = new Set<string>();
  /** Partitions whose batch a handler holds. */
  private readonly inHand = new Set<string>();
  private queuedBytes = 0;
  private readonly wakers = new Set<() => void>();
  private alive: NodeJS.Timeout | null = null;
  private readonly maxQueuedBytes: number;

  constructor(
    private readonly kafka: KafkaConfig,
    private readonly config: AdapterConsumerConfig,
  ) {
    super();
    this.fromBeginning = config.fromBeginning ?? false;
    // About what kafkajs holds: one fetch per partition, and the next one on its way.
    this.maxQueuedBytes = 2 * (config.maxBytesPerPartition ?? 1024 * 1024);
  }

  connect(): Promise<void> {
    const sessionTimeout = this.config.sessionTimeout ?? 30_000;
    this.consumer = new Consumer<Bytes, Bytes, Bytes, Bytes>({
      ...baseOptions(this.kafka),
      groupId: this.config.groupId,
      sessionTimeout,
      heartbeatInterval: Math.min(3000, Math.floor(sessionTimeout / 3)),
      maxBytesPerPartition: this.config.maxBytesPerPartition,
      maxWaitTime: this.config.maxWaitTimeInMs ?? 1000,
      autocommit: false,
    });
    return Promise.resolve();
  }

  subscribe({
    topics,
    fromBeginning,
  }: {
    topics: string[];
    fromBeginning?: boolean;
  }): Promise<void> {
    this.topics = topics;
    if (fromBeginning !== undefined) this.fromBeginning = fromBeginning;
    return Promise.resolve();
  }

  async run(config: ConsumerRunConfig): Promise<void> {
    const { eachBatch } = config;
    if (!eachBatch) throw new Error('the platformatic adapter supports eachBatch only');
    if (!this.consumer) throw new Error('connect() first');
    const stream = await this.consumer.consume({
      topics: this.topics,
      mode: MessagesStreamModes.COMMITTED,
      fallbackMode: this.fromBeginning
        ? MessagesStreamFallbackModes.EARLIEST
        : MessagesStreamFallbackModes.LATEST,
      autocommit: false,
    });
    this.stream = stream;
    stream.on('data', (message: PlainMessage) => this.enqueue(message));
    stream.on('error', (error: Error) => {
      this.logger.error(`Kafka consumer stream failed: ${error.message}`);
      this.emit(this.events.CRASH, { error, restart: false });
    });
    this.running = true;
    this.emit(this.events.GROUP_JOIN, { memberAssignment: {} });
    this.alive = setInterval(() => this.emit(this.events.HEARTBEAT), 1000);
    this.alive.unref();
    // As kafkajs: up to partitionsConsumedConcurrently partitions in handlers at once.
    const workers = Math.max(1, config.partitionsConsumedConcurrently ?? 1);
    this.loop = Promise.all(Array.from({ length: workers }, () => this.process(eachBatch))).then(
      () => undefined,
      (error: unknown) => {
        this.logger.error(`Kafka consumer stopped: ${errorMessage(error)}`);
      },
    );
  }

  seek({ topic, partition, offset }: { topic: string; partition: number; offset: string }): void {
    const key = partitionKey(topic, partition);
    this.seeks.set(key, BigInt(offset));
    this.stale.add(key);
    this.dropBefore(key, BigInt(offset));
    this.wakeAll();
  }

  async disconnect(): Promise<void> {
    this.running = false;
    this.wakeAll();
    await this.loop;
    if (this.alive) clearInterval(this.alive);
    this.alive = null;
    const stream = this.stream;
    if (stream) await new Promise<void>((resolve) => stream.close(() => resolve()));
    const consumer = this.consumer;
    if (consumer) await new Promise<void>((resolve) => consumer.close(true, () => resolve()));
    this.stream = null;
    this.consumer = null;
  }

  private wakeAll(): void {
    const wakers = [...this.wakers];
    this.wakers.clear();
    for (const wake of wakers) wake();
  }

  private enqueue(message: PlainMessage): void {
    const key = partitionKey(message.topic, message.partition);
    const seek = this.seeks.get(key);
    if (seek !== undefined && message.offset < seek) return;
    let queue = this.queues.get(key);
    if (!queue) {
      queue = [];
      this.queues.set(key, queue);
    }
    queue.push(message);
    this.queuedBytes += message.value?.length ?? 0;
    if (this.queuedBytes > this.maxQueuedBytes) this.stream?.pause();
    this.wakeAll();
  }

  private dropBefore(key: string, next: bigint): void {
    const queue = this.queues.get(key);
    if (!queue) return;
    let n = 0;
    while (n < queue.length && queue[n].offset < next) {
      this.queuedBytes -= queue[n].value?.length ?? 0;
      n += 1;
    }
    queue.splice(0, n);
    if (this.queuedBytes <= this.maxQueuedBytes / 2 && this.stream?.isPaused()) {
      this.stream.resume();
    }
  }

  private nextPartition(): string | null {
    for (const [key, queue] of this.queues) {
      if (queue.length > 0 && !this.paused.has(key) && !this.inHand.has(key)) {
        // Round robin: the partition goes to the back of the line.
        this.queues.delete(key);
        this.queues.set(key, queue);
        return key;
      }
    }
    return null;
  }

  private async process(eachBatch: NonNullable<ConsumerRunConfig['eachBatch']>): Promise<void> {
    while (this.running) {
      const key = this.nextPartition();
      if (!key) {
        await new Promise<void>((resolve) => {
          this.wakers.add(resolve);
          setTimeout(resolve, 200).unref();
        });
        continue;
      }
      const queued = [...(this.queues.get(key) ?? [])];
      this.inHand.add(key);
      const { topic, partition } = queued[0];
      // Newer releases tell each message's leader epoch; -1 (unknown) where not.
      const { leaderEpoch = -1 } = queued[0] as { leaderEpoch?: number };
      this.stale.delete(key);
      let resolved = -1n;
      const payload = {
        batch: {
          topic,
          partition,
          highWatermark: '-1',
          messages: queued.map(toKafkaJsMessage),
          isEmpty: () => queued.length === 0,
          firstOffset: () => queued[0].offset.toString(),
          lastOffset: () => queued[queued.length - 1].offset.toString(),
          offsetLag: () => '0',
          offsetLagLow: () => '0',
        },
        resolveOffset: (offset: string) => {
          const value = BigInt(offset);
          if (value > resolved) resolved = value;
        },
        heartbeat: () => Promise.resolve(),
        pause: () => {
          this.paused.add(key);
          return () => {
            this.paused.delete(key);
            this.wakeAll();
          };
        },
        commitOffsetsIfNecessary: async () => {
          if (resolved < 0n || !this.consumer) return;
          await this.consumer.commit({
            offsets: [{ topic, partition, offset: resolved + 1n, leaderEpoch }],
          });
        },
        uncommittedOffsets: () => ({ topics: [] }),
        isRunning: () => this.running,
        isStale: () => this.stale.has(key),
      };
      const where = { topic, partition };
      this.emit(this.events.FETCH);
      this.emit(this.events.START_BATCH_PROCESS, where);
      try {
        await eachBatch(payload);
      } catch (error) {
        this.logger.warn(`Batch of ${topic}[${partition}] failed: ${errorMessage(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      } finally {
        this.emit(this.events.END_BATCH_PROCESS, where);
        this.inHand.delete(key);
      }
      if (!this.stale.has(key) && resolved >= 0n) this.dropBefore(key, resolved + 1n);
      this.wakeAll();
    }
  }
}
