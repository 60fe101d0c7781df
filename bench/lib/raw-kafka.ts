import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import { createTopics, uniqueName } from '../../test/harness/test-infra';
import { smallData } from './measure';

/** The bytes of one small change as a ship sends it inside an envelope (no envelope around it). */
export function changePayload(i: number): Buffer {
  return Buffer.from(
    JSON.stringify({
      changeId: uuidv7(),
      seq: i + 1,
      op: 'create',
      type: 'item',
      documentId: uuidv7(),
      locale: '',
      baseVersion: 0,
      fields: smallData(i, 'item'),
      editedAt: new Date().toISOString(),
    }),
  );
}

/**
 * The floor for ingest on this broker: plain kafkajs, one message per change, produced in sends of
 * `batchSize` with the apps' producer settings (idempotent, acks=all, gzip) and consumed with
 * eachBatch by a consumer group, timed from the first send to the last message consumed.
 */
export async function rawProduceConsume(
  brokers: string[],
  { messages, batchSize, partitions }: { messages: number; batchSize: number; partitions: number },
): Promise<{ perSec: number; ms: number; payloadBytes: number }> {
  const kafka = new Kafka({ clientId: 'bench-raw', brokers, logLevel: logLevel.NOTHING });
  const topic = uniqueName('bench-raw', '.');
  await createTopics(brokers, [{ topic, numPartitions: partitions }]);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const consumer = kafka.consumer({ groupId: `${topic}.group` });
  await Promise.all([producer.connect(), consumer.connect()]);
  await consumer.subscribe({ topic, fromBeginning: true });
  let consumed = 0;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  await consumer.run({
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      consumed += batch.messages.length;
      const last = batch.messages[batch.messages.length - 1];
      if (last) resolveOffset(last.offset);
      await heartbeat();
      if (consumed >= messages) resolveDone();
    },
  });
  const payloads = Array.from({ length: Math.min(messages, 5000) }, (_, i) => changePayload(i));
  const started = Date.now();
  for (let sent = 0; sent < messages; sent += batchSize) {
    const n = Math.min(batchSize, messages - sent);
    await producer.send({
      topic,
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: Array.from({ length: n }, (_, k) => ({
        key: `ship-${(sent + k) % partitions}`,
        value: payloads[(sent + k) % payloads.length],
      })),
    });
  }
  await done;
  const ms = Date.now() - started;
  await Promise.all([producer.disconnect(), consumer.disconnect()]);
  return { perSec: (messages * 1000) / ms, ms, payloadBytes: payloads[0].length };
}
