import { Partitioners, type PartitionMetadata } from 'kafkajs';
import {
  createKafka as createTestKafka,
  createTopics,
  kafkaBrokers,
  uniqueName,
  waitFor,
} from '../../../../test/harness/test-infra';
import { EnvelopePublisher, SENT_AT_HEADER } from './envelope-publisher';
import { createKafka, type KafkaClientName } from './kafka-client';

const PARTITIONS = 6;

/** Where kafkajs' own default partitioner puts a key on a topic of PARTITIONS partitions. */
function kafkajsPartition(key: string): number {
  const partitionMetadata: PartitionMetadata[] = Array.from({ length: PARTITIONS }, (_, i) => ({
    partitionId: i,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));
  return Partitioners.DefaultPartitioner()({
    topic: 't',
    partitionMetadata,
    message: { key, value: null },
  });
}

/**
 * Each client library the data path can run on, against a real broker: a publisher on it puts
 * every key on the partition kafkajs' default partitioner picks (so a document's updates keep
 * their partition, and their order, when nodes change client one by one), and a consumer on it
 * hands over batches whose committed offsets are the ones the handler resolved, starting from a
 * seek. (@platformatic/kafka is an ES module, which jest's CommonJS runtime cannot load: its
 * adapter runs in the benchmark's real processes only.)
 */
describe.each<KafkaClientName>(['kafkajs', 'confluent'])(
  'Kafka client %s (real Kafka)',
  (client) => {
    const brokers = kafkaBrokers();

    it('puts each key on the partition kafkajs picks, with its headers', async () => {
      const topic = uniqueName(`client-${client}`);
      await createTopics(brokers, [{ topic, numPartitions: PARTITIONS }]);
      const publisher = new EnvelopePublisher({
        kafka: { brokers, clientId: 'client-test' },
        compression: 'gzip',
        client,
      });
      const keys = Array.from({ length: 60 }, (_, i) => `ship-${i}:article:${i * 7919}`);
      try {
        await publisher.publish(
          topic,
          keys.map((key, i) => ({ key, envelope: { i }, sentAt: 1_700_000_000_000 + i })),
        );
      } finally {
        await publisher.disconnect();
      }
      const seen = new Map<string, { partition: number; sentAt?: string }>();
      const consumer = createTestKafka('client-test').consumer({ groupId: uniqueName('reader') });
      await consumer.connect();
      try {
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        await consumer.run({
          eachMessage: ({ partition, message }) => {
            seen.set(message.key!.toString(), {
              partition,
              sentAt: message.headers?.[SENT_AT_HEADER]?.toString(),
            });
            return Promise.resolve();
          },
        });
        await waitFor(() => seen.size === keys.length, {
          description: 'every message read back',
          timeoutMs: 30_000,
        });
      } finally {
        await consumer.disconnect();
      }
      for (const [i, key] of keys.entries()) {
        expect(seen.get(key)).toEqual({
          partition: kafkajsPartition(key),
          sentAt: String(1_700_000_000_000 + i),
        });
      }
    });

    it('consumes batches from a seek and commits what the handler resolved', async () => {
      const topic = uniqueName(`client-${client}-consume`);
      await createTopics(brokers, [{ topic, numPartitions: 1 }]);
      const producer = createTestKafka('client-test').producer();
      await producer.connect();
      await producer.send({
        topic,
        messages: Array.from({ length: 30 }, (_, i) => ({ key: 'k', value: `{"i":${i}}` })),
      });
      await producer.disconnect();
      const groupId = uniqueName('group');
      const kafka = createKafka({ brokers, clientId: 'client-test' }, client);
      const consumer = kafka.consumer({ groupId });
      const received: number[] = [];
      await consumer.connect();
      try {
        await consumer.subscribe({ topics: [topic], fromBeginning: true });
        await consumer.run({
          eachBatchAutoResolve: false,
          eachBatch: async (payload) => {
            for (const message of payload.batch.messages) {
              const { i } = JSON.parse(message.value!.toString()) as { i: number };
              // The handler stops at 25: the rest stays unresolved and uncommitted.
              if (i >= 25) break;
              received.push(i);
              payload.resolveOffset(message.offset);
            }
            await payload.commitOffsetsIfNecessary();
          },
        });
        consumer.seek({ topic, partition: 0, offset: '10' });
        await waitFor(() => received.includes(24), {
          description: 'messages 10 to 24 handled',
          timeoutMs: 30_000,
        });
        const admin = createTestKafka('client-test').admin();
        await admin.connect();
        try {
          await waitFor(
            async () => {
              const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
              return offsets.partitions[0].offset === '25';
            },
            { description: 'offset 25 committed', timeoutMs: 30_000 },
          );
        } finally {
          await admin.disconnect();
        }
      } finally {
        await consumer.disconnect();
      }
      expect(received[0]).toBe(10);
      expect([...new Set(received)]).toEqual(Array.from({ length: 15 }, (_, k) => 10 + k));
    });
  },
);
