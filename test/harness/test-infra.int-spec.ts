import { CompressionTypes } from 'kafkajs';
import { Client } from 'pg';
import {
  createKafka,
  createTestDatabase,
  createTopics,
  databaseUrl,
  dropTestDatabase,
  kafkaBrokers,
  uniqueName,
  uniqueTopicNames,
  waitFor,
} from './test-infra';

// Jest ignores a project-level testTimeout (it is a global option), so set it here.
const TIMEOUT_MS = 60_000;

describe('test infrastructure (real Kafka and PostgreSQL)', () => {
  it(
    'produces and consumes one message through the broker with eachBatch',
    async () => {
      const { topic } = uniqueTopicNames('harness-smoke');
      await createTopics(kafkaBrokers(), [{ topic, numPartitions: 1 }]);

      const kafka = createKafka('harness-smoke');
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      // A short fetch wait keeps disconnect() fast: it waits for the fetch in flight.
      const consumer = kafka.consumer({
        groupId: uniqueName('harness-smoke'),
        maxWaitTimeInMs: 100,
      });
      const received: { key: string; value: string; offset: string }[] = [];
      try {
        await producer.connect();
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({
          eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
            for (const message of batch.messages) {
              received.push({
                key: message.key?.toString() ?? '',
                value: message.value?.toString() ?? '',
                offset: message.offset,
              });
              resolveOffset(message.offset);
            }
            await heartbeat();
          },
        });
        await producer.send({
          topic,
          acks: -1,
          compression: CompressionTypes.GZIP,
          messages: [{ key: 'k1', value: JSON.stringify({ hello: 'ship' }) }],
        });
        await waitFor(() => received.length > 0, {
          timeoutMs: 30_000,
          description: `one message on ${topic}`,
        });
        expect(received).toEqual([{ key: 'k1', value: '{"hello":"ship"}', offset: '0' }]);
      } finally {
        await consumer.disconnect();
        await producer.disconnect();
      }
    },
    TIMEOUT_MS,
  );

  it(
    'runs queries and creates/drops a database on PostgreSQL',
    async () => {
      const admin = new Client({ connectionString: databaseUrl() });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ one: number }>('select 1 as one');
        expect(rows).toEqual([{ one: 1 }]);
      } finally {
        await admin.end();
      }

      const url = await createTestDatabase('harness_smoke');
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ db: string }>('select current_database() as db');
        expect(`/${rows[0].db}`).toBe(new URL(url).pathname);
        await client.query('create table t (id int primary key)');
        await client.query('insert into t values (1)');
      } finally {
        await client.end();
      }
      await dropTestDatabase(url);
    },
    TIMEOUT_MS,
  );

  it('waitFor names what it waited for', async () => {
    await expect(
      waitFor(() => false, { timeoutMs: 100, intervalMs: 20, description: 'the impossible' }),
    ).rejects.toThrow(/Timed out after \d+ ms waiting for the impossible/);
  });
});
