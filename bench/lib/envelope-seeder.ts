import { encodeEnvelope, MessageKind, signEnvelope } from '@offline-sync/sync-core';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { v7 as uuidv7 } from 'uuid';
import type { BenchFleet } from './bench-fleet';
import { sleep, smallData } from './measure';

/**
 * Sends `count` new documents to the master as a provisioned ship would (signed ship-changes
 * envelopes of `batchSize` creates on ship-updates), straight to the broker: a way to give the
 * master many documents at the rate its ingest takes them, without a ship's API in between.
 * At most `maxAhead` changes are in Kafka and not yet committed at any time, so that the figure
 * is the master's pace (what it commits), not how fast this process can fill the topic.
 */
export async function sendShipChanges(
  fleet: BenchFleet,
  ship: string,
  {
    count,
    batchSize = 100,
    envelopesPerSend = 10,
    maxAhead = 20_000,
  }: { count: number; batchSize?: number; envelopesPerSend?: number; maxAhead?: number },
): Promise<void> {
  const before = await fleet.committed(ship);
  const kafka = new Kafka({
    clientId: `bench-${ship}`,
    brokers: fleet.kafka.broker.brokers,
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const key = fleet.privateKey(ship);
  try {
    let seq = 0;
    while (seq < count) {
      while (seq - ((await fleet.committed(ship)) - before) >= maxAhead) await sleep(50);
      const messages = [];
      for (let e = 0; e < envelopesPerSend && seq < count; e += 1) {
        const changes = [];
        for (let c = 0; c < batchSize && seq < count; c += 1) {
          seq += 1;
          changes.push({
            changeId: uuidv7(),
            seq,
            op: 'create' as const,
            type: 'item',
            documentId: uuidv7(),
            locale: '',
            baseVersion: 0,
            fields: smallData(seq, ship),
            editedAt: new Date().toISOString(),
          });
        }
        const envelope = signEnvelope(
          { sender: ship, kind: MessageKind.ShipChanges, payload: { changes } },
          key,
        );
        messages.push({ key: ship, value: encodeEnvelope(envelope) });
      }
      await producer.send({
        topic: `${fleet.topicPrefix}ship-updates`,
        acks: -1,
        compression: CompressionTypes.GZIP,
        messages,
      });
    }
  } finally {
    await producer.disconnect();
  }
}
