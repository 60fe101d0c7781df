import { Logger } from '@nestjs/common';
import { KafkaJS } from '@confluentinc/kafka-javascript';
import {
  Kafka as KafkaJsKafka,
  logLevel,
  type Admin,
  type ConsumerConfig,
  type ConsumerRunConfig,
  type EachBatchPayload,
  type KafkaConfig,
  type ProducerBatch,
  type ProducerConfig,
  type ProducerRecord,
  type RecordMetadata,
} from 'kafkajs';
import { AdapterEvents, compressionName } from './adapter-events';

/** Send settings kafkajs takes per send; librdkafka takes them once, when the producer is made. */
export type AdapterProducerConfig = ProducerConfig &
  Partial<Pick<ProducerRecord, 'acks' | 'timeout' | 'compression'>>;

/** kafkajs takes `fromBeginning` at subscribe; librdkafka when the consumer is made. */
export type AdapterConsumerConfig = ConsumerConfig & { fromBeginning?: boolean };

/**
 * @confluentinc/kafka-javascript (librdkafka) behind the part of kafkajs' API the data path uses,
 * through the library's own KafkaJS-compatible layer. Keys go to partitions as with kafkajs
 * (librdkafka's `murmur2_random` is Java's murmur2, which kafkajs' default partitioner is too).
 * Admin requests stay on kafkajs: the library's admin lacks describeConfigs/alterConfigs.
 */
export class Kafka {
  private readonly client: KafkaJS.Kafka;

  constructor(private readonly config: KafkaConfig) {
    this.client = new KafkaJS.Kafka({ kafkaJS: commonConfig(config), ...tlsConfig(config.ssl) });
  }

  producer(config: AdapterProducerConfig = {}): ConfluentProducer {
    return new ConfluentProducer(this.client, config);
  }

  consumer(config: AdapterConsumerConfig): ConfluentConsumer {
    return new ConfluentConsumer(this.client, config);
  }

  admin(): Admin {
    return new KafkaJsKafka({ ...this.config, logLevel: logLevel.NOTHING }).admin();
  }
}

function commonConfig(config: KafkaConfig): KafkaJS.KafkaConfig {
  const { brokers, clientId, connectionTimeout, requestTimeout, sasl, ssl, retry } = config;
  if (typeof brokers === 'function') throw new Error('KAFKA_CLIENT=confluent needs a broker list');
  return defined({
    brokers,
    clientId,
    connectionTimeout,
    requestTimeout,
    ssl: Boolean(ssl),
    ...(sasl && 'password' in sasl ? { sasl: sasl } : {}),
    ...(retry
      ? {
          retry: defined({
            retries: retry.retries,
            initialRetryTime: retry.initialRetryTime,
            maxRetryTime: retry.maxRetryTime,
          }),
        }
      : {}),
    logLevel: Math.min(config.logLevel ?? logLevel.WARN, KafkaJS.logLevel.WARN),
    logger: new AdapterLogger(),
  });
}

/** The settings given (librdkafka refuses a setting whose value is undefined). */
function defined<T extends object>(settings: T): T {
  return Object.fromEntries(
    Object.entries(settings).filter(([, value]) => value !== undefined),
  ) as T;
}

/** TLS material as librdkafka takes it (PEM text). */
function tlsConfig(ssl: KafkaConfig['ssl']): Record<string, string | boolean> {
  if (!ssl || ssl === true) return {};
  const tls = ssl;
  const text = (value: string | Buffer | { pem: string | Buffer }): string =>
    typeof value === 'string'
      ? value
      : Buffer.isBuffer(value)
        ? value.toString('utf8')
        : text(value.pem);
  const pem = (
    value: string | Buffer | (string | Buffer | { pem: string | Buffer })[] | undefined,
  ): string | undefined =>
    value === undefined
      ? undefined
      : Array.isArray(value)
        ? value.map(text).join('\n')
        : text(value);
  const entries: [string, string | boolean | undefined][] = [
    ['ssl.ca.pem', pem(tls.ca)],
    ['ssl.certificate.pem', pem(tls.cert)],
    ['ssl.key.pem', pem(tls.key)],
    ['ssl.key.password', tls.passphrase],
    ['enable.ssl.certificate.verification', tls.rejectUnauthorized !== false],
  ];
  return Object.fromEntries(
    entries.filter((e): e is [string, string | boolean] => e[1] !== undefined),
  );
}

class AdapterLogger {
  private readonly logger = new Logger('Kafka');
  private level: KafkaJS.logLevel = KafkaJS.logLevel.WARN;

  info(message: string): void {
    if (this.level >= KafkaJS.logLevel.INFO) this.logger.log(message);
  }
  warn(message: string): void {
    if (this.level >= KafkaJS.logLevel.WARN) this.logger.warn(message);
  }
  error(message: string): void {
    if (this.level >= KafkaJS.logLevel.ERROR) this.logger.error(message);
  }
  debug(message: string): void {
    if (this.level >= KafkaJS.logLevel.DEBUG) this.logger.debug(message);
  }
  namespace(): AdapterLogger {
    return this;
  }
  setLogLevel(level: KafkaJS.logLevel): void {
    this.level = level;
  }
}

class ConfluentProducer extends AdapterEvents {
  private readonly producer: KafkaJS.Producer;

  constructor(client: KafkaJS.Kafka, config: AdapterProducerConfig) {
    super();
    this.producer = client.producer({
      kafkaJS: defined({
        idempotent: config.idempotent,
        maxInFlightRequests: config.maxInFlightRequests,
        allowAutoTopicCreation: config.allowAutoTopicCreation,
        acks: config.acks ?? -1,
        timeout: config.timeout,
        compression: compressionName(config.compression) as KafkaJS.CompressionTypes,
      }),
      partitioner: 'murmur2_random',
    });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    this.emit(this.events.CONNECT);
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
    this.emit(this.events.DISCONNECT);
  }

  async send(record: ProducerRecord): Promise<RecordMetadata[]> {
    const { topic, messages } = record;
    const sent = await this.producer.send({ topic, messages: messages.map(toConfluentMessage) });
    return sent;
  }

  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    const topicMessages = (batch.topicMessages ?? [])
      .filter((t) => t.messages.length > 0)
      .map((t) => ({ topic: t.topic, messages: t.messages.map(toConfluentMessage) }));
    if (topicMessages.length === 0) return [];
    const sent = await this.producer.sendBatch({ topicMessages });
    return sent;
  }
}

function toConfluentMessage(message: ProducerRecord['messages'][number]): KafkaJS.Message {
  return {
    key: message.key ?? null,
    value: message.value,
    partition: message.partition,
    headers: message.headers,
  };
}

/**
 * The consumer, with kafkajs' events the product listens to emitted around each batch (librdkafka
 * fetches and heartbeats on its own threads and reports neither).
 */
class ConfluentConsumer extends AdapterEvents {
  private readonly consumer: KafkaJS.Consumer;
  private alive: NodeJS.Timeout | null = null;

  constructor(client: KafkaJS.Kafka, config: AdapterConsumerConfig) {
    super();
    const maxBytesPerPartition = config.maxBytesPerPartition ?? 1024 * 1024;
    this.consumer = client.consumer({
      kafkaJS: defined({
        groupId: config.groupId,
        allowAutoTopicCreation: config.allowAutoTopicCreation,
        sessionTimeout: config.sessionTimeout,
        maxBytesPerPartition,
        maxWaitTimeInMs: config.maxWaitTimeInMs,
        fromBeginning: config.fromBeginning ?? false,
        autoCommit: false,
      }),
      // Every message fetched for a partition in one batch, as kafkajs hands them over.
      'js.consumer.max.batch.size': -1,
      // librdkafka prefetches up to 64 MiB per partition by default; hold about what kafkajs does.
      'queued.max.messages.kbytes': Math.max(256, Math.ceil((2 * maxBytesPerPartition) / 1024)),
    });
  }

  async connect(): Promise<void> {
    await this.consumer.connect();
  }

  async subscribe({ topics }: { topics: string[]; fromBeginning?: boolean }): Promise<void> {
    await this.consumer.subscribe({ topics });
  }

  async run(config: ConsumerRunConfig): Promise<void> {
    const { eachBatch } = config;
    if (!eachBatch) throw new Error('the confluent adapter supports eachBatch only');
    this.emit(this.events.GROUP_JOIN, { memberAssignment: {} });
    this.alive = setInterval(() => this.emit(this.events.HEARTBEAT), 1000);
    this.alive.unref();
    await this.consumer.run({
      ...defined({
        eachBatchAutoResolve: config.eachBatchAutoResolve,
        partitionsConsumedConcurrently: config.partitionsConsumedConcurrently,
      }),
      eachBatch: async (payload) => {
        const where = { topic: payload.batch.topic, partition: payload.batch.partition };
        this.emit(this.events.FETCH);
        this.emit(this.events.START_BATCH_PROCESS, where);
        try {
          await eachBatch(payload as unknown as EachBatchPayload);
        } finally {
          this.emit(this.events.END_BATCH_PROCESS, where);
        }
      },
    });
  }

  seek(position: { topic: string; partition: number; offset: string }): void {
    this.consumer.seek(position);
  }

  async disconnect(): Promise<void> {
    if (this.alive) clearInterval(this.alive);
    this.alive = null;
    await this.consumer.disconnect();
  }
}
