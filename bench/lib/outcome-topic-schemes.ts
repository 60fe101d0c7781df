/**
 * The outcome channel at fleet scale, two ways, on one broker: one topic per ship (what the
 * protocol does) and one shared topic whose partitions ships read, keyed by ship id. The same
 * outcome traffic goes through the master's producer settings to each; sampled ships read their
 * outcomes. Compared: delay from produce to the ship, producer and broker CPU, what it costs to
 * make the topics and to first send to all of them (the producer's metadata), and the bytes a ship
 * reads per outcome of its own (a shared partition carries other ships' outcomes too).
 */
import {
  ENVELOPE_PRODUCER_CONFIG,
  KeyHashPartitioner,
  envelopeSendSettings,
} from '@offline-sync/sync-core';
import { Kafka, logLevel, type Consumer, type PartitionMetadata, type Producer } from 'kafkajs';
import { cpuMsOf, percentile, round, sleep } from './measure';

export interface SchemeFigures {
  scheme: string;
  topics: number;
  partitions: number;
  createMs: number;
  warmupMs: number;
  delayP50Ms: number | null;
  delayP99Ms: number | null;
  producerCpu: number;
  brokerCpu: number;
  bytesPerOwnOutcome: number | null;
}

export interface CompareOptions {
  brokers: string[];
  brokerPid: number;
  ships: string[];
  /** Outcome messages per second over the fleet. */
  rate: number;
  seconds: number;
  /** Partitions of the shared topic. Default 12. */
  sharedPartitions?: number;
  /** Ships that read their outcomes. Default 10. */
  readers?: number;
}

const TICK_MS = 100;
/** An outcome envelope as the master sends one (a signed batch of one outcome with its proof). */
const FILLER = 'x'.repeat(420);

function kafkaOf(brokers: string[], clientId: string): Kafka {
  return new Kafka({ brokers, clientId, logLevel: logLevel.NOTHING });
}

async function createAll(kafka: Kafka, topics: string[], partitions: number): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const started = Date.now();
  try {
    for (let i = 0; i < topics.length; i += 200) {
      await admin.createTopics({
        waitForLeaders: false,
        topics: topics
          .slice(i, i + 200)
          .map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
      });
    }
    // Until the broker names a leader for every partition.
    for (let i = 0; i < topics.length; i += 1000) {
      const batch = topics.slice(i, i + 1000);
      for (;;) {
        const led = await admin
          .fetchTopicMetadata({ topics: batch })
          .then(({ topics: m }) => m.every((t) => t.partitions.every((p) => p.leader >= 0)))
          .catch(() => false);
        if (led) break;
        await sleep(100);
      }
    }
    return Date.now() - started;
  } finally {
    await admin.disconnect();
  }
}

const placeByKey = KeyHashPartitioner();

/** Partition of `key` among `count`, as KeyHashPartitioner places it. */
function partitionOf(key: string, count: number): number {
  const partitionMetadata: PartitionMetadata[] = Array.from(
    { length: count },
    (_, partitionId) => ({
      partitionId,
      leader: 0,
      partitionErrorCode: 0,
      replicas: [0],
      isr: [0],
    }),
  );
  return placeByKey({ topic: '', partitionMetadata, message: { key, value: null } });
}

async function runScheme(
  options: CompareOptions,
  scheme: 'per-ship topics' | 'shared topic',
): Promise<SchemeFigures> {
  const kafka = kafkaOf(options.brokers, `outcome-compare-${scheme.replace(/\W+/g, '-')}`);
  const shared = scheme === 'shared topic';
  const sharedPartitions = options.sharedPartitions ?? 12;
  const tag = `cmp-${Date.now().toString(36)}`;
  const topicOf = (ship: string): string =>
    shared ? `${tag}.outcomes` : `${tag}.outcomes.${ship}`;
  const topics = shared ? [topicOf('')] : options.ships.map(topicOf);
  const createMs = await createAll(kafka, topics, shared ? sharedPartitions : 1);

  const readerCount = Math.min(options.readers ?? 10, options.ships.length);
  const step = options.ships.length / readerCount;
  const readShips = Array.from(
    { length: readerCount },
    (_, i) => options.ships[Math.floor(i * step)],
  );
  const delays: number[] = [];
  const partitionBytes = new Map<number, number>();
  const own = new Map<string, number>();
  const consumers: Consumer[] = [];
  const readers = shared ? [readShips[0]] : readShips;
  for (const ship of readers) {
    const consumer = kafka.consumer({ groupId: `${tag}.${ship}`, maxWaitTimeInMs: 100 });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topicOf(ship)], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const key = message.key?.toString() ?? '';
        partitionBytes.set(
          partition,
          (partitionBytes.get(partition) ?? 0) + (message.value?.length ?? 0),
        );
        if (readShips.includes(key)) {
          own.set(key, (own.get(key) ?? 0) + 1);
          const { sentAt } = JSON.parse(message.value?.toString() ?? '{}') as { sentAt: number };
          delays.push(Date.now() - sentAt);
        }
        await Promise.resolve();
      },
    });
  }
  await sleep(3000);

  const producer: Producer = kafka.producer({
    ...ENVELOPE_PRODUCER_CONFIG,
    createPartitioner: KeyHashPartitioner,
  });
  await producer.connect();
  const send = envelopeSendSettings({ kafka: { brokers: options.brokers }, compression: 'gzip' });
  // The producer's first send to every topic: kafkajs fetches their metadata.
  const warmStarted = Date.now();
  for (let i = 0; i < topics.length; i += 1000) {
    await producer.sendBatch({
      ...send,
      topicMessages: topics.slice(i, i + 1000).map((topic) => ({ topic, messages: [] })),
    });
  }
  const warmupMs = Date.now() - warmStarted;

  const perTick = (options.rate * TICK_MS) / 1000;
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const brokerBefore = cpuMsOf(options.brokerPid);
  const started = Date.now();
  let sending: Promise<unknown> = Promise.resolve();
  while (Date.now() - started < options.seconds * 1000) {
    const byTopic = new Map<string, Array<{ key: string; value: string }>>();
    for (let i = 0; i < perTick; i += 1) {
      const ship = options.ships[next];
      next = (next + 1) % options.ships.length;
      const list = byTopic.get(topicOf(ship)) ?? [];
      list.push({
        key: ship,
        value: JSON.stringify({ shipId: ship, sentAt: Date.now(), outcomes: FILLER }),
      });
      byTopic.set(topicOf(ship), list);
    }
    await sending;
    sending = producer.sendBatch({
      ...send,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
    await sleep(TICK_MS);
  }
  await sending;
  const used = process.cpuUsage(cpuBefore);
  const elapsed = Date.now() - started;
  const brokerCpu = round(((cpuMsOf(options.brokerPid) - brokerBefore) * 100) / elapsed);
  await sleep(3000);
  await producer.disconnect();
  await Promise.all(consumers.map((c) => c.disconnect()));

  const sorted = delays.sort((a, b) => a - b);
  let bytesPerOwnOutcome: number | null;
  if (shared) {
    // One ship reads its own partition: every ship's outcomes that hash there.
    const ship = readShips[0];
    const p = partitionOf(ship, sharedPartitions);
    const mine = own.get(ship) ?? 0;
    bytesPerOwnOutcome = mine > 0 ? round((partitionBytes.get(p) ?? 0) / mine) : null;
  } else {
    const total = [...partitionBytes.values()].reduce((a, b) => a + b, 0);
    const mine = [...own.values()].reduce((a, b) => a + b, 0);
    bytesPerOwnOutcome = mine > 0 ? round(total / mine) : null;
  }
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics }).catch(() => undefined);
  await admin.disconnect();
  return {
    scheme,
    topics: topics.length,
    partitions: shared ? sharedPartitions : topics.length,
    createMs,
    warmupMs,
    delayP50Ms: sorted.length ? round(percentile(sorted, 50)) : null,
    delayP99Ms: sorted.length ? round(percentile(sorted, 99)) : null,
    producerCpu: round((((used.user + used.system) / 1000) * 100) / elapsed),
    brokerCpu,
    bytesPerOwnOutcome,
  };
}

export async function compareOutcomeTopics(options: CompareOptions): Promise<SchemeFigures[]> {
  return [await runScheme(options, 'per-ship topics'), await runScheme(options, 'shared topic')];
}
