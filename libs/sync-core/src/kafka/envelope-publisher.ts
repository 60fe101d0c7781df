import { Logger } from '@nestjs/common';
import {
  CompressionTypes,
  logLevel,
  type KafkaConfig,
  type Producer,
  type ProducerConfig,
  type ProducerRecord,
  type RecordMetadata,
} from 'kafkajs';
import { encodeEnvelope } from '../envelope/envelope-codec';
import { createKafka, kafkaClientFromEnv, type KafkaClientName } from './kafka-client';
import { nestKafkaLogCreator } from './kafka-logger';
import { KeyHashPartitioner } from './key-hash.partitioner';

/**
 * A signed envelope (see signEnvelope), or its JSON text as stored or as its signer wrote it
 * (signEnvelopeBatchEncodedAsync), sent as it is.
 */
export type OutgoingEnvelope = {
  /** Partition key: ship id for ship-updates, document key for master-updates. */
  key: string;
  /**
   * The sender's clock at this send (ms), sent in the SENT_AT_HEADER: a ship sends its ShipClock,
   * and the master measures by it how far that clock runs ahead. (Not the Kafka message time:
   * brokers refuse a message time more than an hour ahead of theirs, and the topics ships write
   * take the broker's append time.)
   */
  sentAt?: number;
} & ({ envelope: object } | { encoded: string });

/** Header carrying the sender's clock at send time (ms since the epoch, decimal). */
export const SENT_AT_HEADER = 'offline-sync-sent-at';

/** The Kafka headers of an outgoing envelope, when it has any. */
export function kafkaHeadersOf(envelope: OutgoingEnvelope): Record<string, string> | undefined {
  return envelope.sentAt === undefined
    ? undefined
    : { [SENT_AT_HEADER]: String(Math.round(envelope.sentAt)) };
}

export interface EnvelopePublisherOptions {
  kafka: KafkaConfig;
  compression: 'gzip' | 'none';
  /** How long one send may take before it counts as failed (a slow link needs more). */
  sendTimeoutMs?: number;
  kafkaLogLevel?: logLevel;
  /** The client library (KAFKA_CLIENT when not given). */
  client?: KafkaClientName;
}

/**
 * The producer both apps write with: idempotent (no duplicates from its own retries, order kept
 * per partition), one request in flight, never creating topics.
 */
export const ENVELOPE_PRODUCER_CONFIG: ProducerConfig = {
  idempotent: true,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  retry: { retries: 5 },
};

/** One send's settings: acks from all in-sync replicas, the configured compression. */
export function envelopeSendSettings(
  options: EnvelopePublisherOptions,
): Pick<ProducerRecord, 'acks' | 'timeout' | 'compression'> {
  return {
    acks: -1,
    timeout: options.sendTimeoutMs ?? 30_000,
    compression: options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
  };
}

/** An envelope's bytes on the wire: its text as given, or the envelope freshly encoded. */
export function envelopeValue(envelope: OutgoingEnvelope): Buffer {
  return 'encoded' in envelope
    ? Buffer.from(envelope.encoded, 'utf8')
    : encodeEnvelope(envelope.envelope);
}

/**
 * The one way both apps write to Kafka (ENVELOPE_PRODUCER_CONFIG, envelopeSendSettings), with
 * compression that makes a batch of small changes cost a fraction of their JSON size on the wire.
 */
export class EnvelopePublisher {
  private readonly logger = new Logger(EnvelopePublisher.name);
  private producer: Producer | null = null;
  private connecting: Promise<Producer> | null = null;

  constructor(private readonly options: EnvelopePublisherOptions) {}

  /**
   * Sends the envelopes to one topic and resolves once the broker has them all. Throws when the
   * broker is out of reach; the caller keeps its outbox rows and retries later.
   */
  async publish(topic: string, envelopes: OutgoingEnvelope[]): Promise<RecordMetadata[]> {
    if (envelopes.length === 0) return [];
    const producer = await this.connect();
    return producer.send({
      ...envelopeSendSettings(this.options),
      topic,
      messages: envelopes.map((e) => ({
        key: e.key,
        value: envelopeValue(e),
        headers: kafkaHeadersOf(e),
      })),
    });
  }

  /**
   * Sends envelopes to several topics in one produce request (one per broker) and resolves once
   * the broker has them all; for a sender of a few messages to each of many topics (the master's
   * outcomes, one topic per ship), where a request per topic would cost a round trip each. Throws
   * when any of them was not written: then some may have been (the caller sends them again).
   */
  async publishBatch(
    batch: ReadonlyArray<{ topic: string; envelopes: OutgoingEnvelope[] }>,
  ): Promise<RecordMetadata[]> {
    const topicMessages = batch
      .filter(({ envelopes }) => envelopes.length > 0)
      .map(({ topic, envelopes }) => ({
        topic,
        messages: envelopes.map((e) => ({
          key: e.key,
          value: envelopeValue(e),
          headers: kafkaHeadersOf(e),
        })),
      }));
    if (topicMessages.length === 0) return [];
    const producer = await this.connect();
    return producer.sendBatch({ ...envelopeSendSettings(this.options), topicMessages });
  }

  async connect(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.connecting ??= this.createProducer().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  async disconnect(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    if (producer) await producer.disconnect().catch(() => undefined);
  }

  private async createProducer(): Promise<Producer> {
    const kafka = createKafka(
      {
        logLevel: this.options.kafkaLogLevel ?? logLevel.WARN,
        logCreator: nestKafkaLogCreator('Kafka'),
        ...this.options.kafka,
      },
      this.options.client ?? kafkaClientFromEnv(),
    );
    // The send settings go along for clients that take them once, when the producer is made.
    const producer = kafka.producer({
      ...ENVELOPE_PRODUCER_CONFIG,
      ...envelopeSendSettings(this.options),
      createPartitioner: KeyHashPartitioner,
    });
    producer.on(producer.events.DISCONNECT, () => {
      if (this.producer === producer) this.producer = null;
    });
    await producer.connect();
    this.producer = producer;
    this.logger.log('Kafka producer connected');
    return producer;
  }
}
