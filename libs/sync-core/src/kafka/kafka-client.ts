import { Kafka, type KafkaConfig } from 'kafkajs';

/**
 * The Kafka client libraries the data path (EnvelopePublisher, ThreadedEnvelopePublisher,
 * KafkaBatchServer) can run on. kafkajs is the product's client; the others are evaluated behind
 * the same kafkajs-shaped surface (docs/adr/0010-kafka-client.md).
 */
export const KAFKA_CLIENTS = ['kafkajs', 'confluent', 'platformatic'] as const;
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

/**
 * Whether the library can be loaded on a worker thread as well as on the main one.
 * @confluentinc/kafka-javascript's native addon registers in one thread per process ("Module did
 * not self-register" in the second); its producer runs on the main thread, while librdkafka does
 * the network and compression work on threads of its own.
 */
export const KAFKA_CLIENT_RUNS_ON_WORKER: Record<KafkaClientName, boolean> = {
  kafkajs: true,
  confluent: false,
  platformatic: true,
};

/** KAFKA_CLIENT, validated: kafkajs when unset. */
export function kafkaClientFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaClientName {
  const value = (env.KAFKA_CLIENT ?? '').trim();
  if (value === '') return 'kafkajs';
  if ((KAFKA_CLIENTS as readonly string[]).includes(value)) return value as KafkaClientName;
  throw new Error(`KAFKA_CLIENT must be one of ${KAFKA_CLIENTS.join(', ')} (got "${value}")`);
}

/**
 * The module whose `Kafka` class builds clients for `client` (a path, so a worker thread can load
 * it too). Each exposes the part of kafkajs' API the data path uses.
 */
export function kafkaClientModule(client: KafkaClientName): string {
  switch (client) {
    case 'kafkajs':
      return require.resolve('kafkajs');
    case 'confluent':
      return require.resolve('./confluent-kafka.adapter');
    case 'platformatic':
      return require.resolve('./platformatic-kafka.adapter');
  }
}

/** A kafkajs-shaped client on the chosen library. */
export function createKafka(
  config: KafkaConfig,
  client: KafkaClientName = kafkaClientFromEnv(),
): Kafka {
  if (client === 'kafkajs') return new Kafka(config);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const adapter = require(kafkaClientModule(client)) as { Kafka: new (c: KafkaConfig) => Kafka };
  return new adapter.Kafka(config);
}
