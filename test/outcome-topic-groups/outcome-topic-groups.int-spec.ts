import type { INestApplication } from '@nestjs/common';
import { exportPrivateKeyBase64, exportPublicKeyBase64 } from '@offline-sync/sync-core';
import { Kafka, logLevel } from 'kafkajs';
import {
  CONTENT_TYPES,
  api as masterApi,
  createFleet,
  type Fleet,
} from '../../apps/master/test/master-test-kit';
import { createMasterApp } from '../../apps/master/src/master.app';
import { ShipConfig } from '../../apps/ship/src/core/config/ship-config';
import {
  CREW_KEY,
  api as shipApi,
  shipEnv,
  startShip,
} from '../../apps/ship/src/testing/ship-test-kit';
import { createTestDatabase, dropTestDatabase, kafkaBrokers, waitFor } from '../harness/test-infra';

interface DocumentView {
  id: string;
  version: number;
  data: Record<string, unknown>;
  sync?: { state: string };
}

const SHIPS = ['ship-a', 'ship-b', 'ship-c'];
const NOTES_PER_SHIP = 6;

/**
 * Grouped outcome topics (KAFKA_OUTCOME_TOPIC_GROUPS=1: every ship's outcomes on one topic) with a
 * real master and three real ships on real Kafka and PostgreSQL: each ship settles exactly its own
 * changes, passes over the others' outcomes without refusing them, and every node converges.
 */
describe('outcome topics shared by a group of ships (real Kafka + PostgreSQL, three ships)', () => {
  let databaseUrl: string;
  let fleet: Fleet;
  let master: INestApplication;
  const ships = new Map<string, INestApplication>();
  const configs = new Map<string, ShipConfig>();

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('outcome_groups');
    fleet = createFleet(databaseUrl, SHIPS, { KAFKA_OUTCOME_TOPIC_GROUPS: '1' });
    master = await createMasterApp(fleet.config);
    await master.init();
    for (const shipId of SHIPS) {
      const keys = fleet.ships.get(shipId)!;
      const env = shipEnv(
        {
          shipPrivate: exportPrivateKeyBase64(keys.privateKey),
          shipPublic: exportPublicKeyBase64(keys.publicKey),
          masterPrivate: fleet.masterKeys.privateKey,
          masterPublic: exportPublicKeyBase64(fleet.masterKeys.publicKey),
        },
        kafkaBrokers(),
        {
          SYNC_SHIP_ID: shipId,
          KAFKA_TOPIC_PREFIX: fleet.env.KAFKA_TOPIC_PREFIX,
          KAFKA_OUTCOME_TOPIC_GROUPS: '1',
          SYNC_CONTENT_TYPES: CONTENT_TYPES,
        },
      );
      configs.set(shipId, ShipConfig.fromEnv(env));
      ships.set(shipId, await startShip(env));
    }
  }, 180_000);

  afterAll(async () => {
    for (const ship of ships.values()) await ship.close();
    await master?.close();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  }, 60_000);

  const shipDocument = async (shipId: string, id: string): Promise<DocumentView | undefined> => {
    const res = await shipApi(ships.get(shipId)!, CREW_KEY).get(`/api/content/note/${id}`);
    return res.status === 200 ? (res.body as DocumentView) : undefined;
  };

  it('settles each ship’s own changes from the shared topic and converges every node', async () => {
    const topics = SHIPS.map((shipId) => configs.get(shipId)!.outcomesTopic);
    expect(new Set(topics).size).toBe(1);
    expect(topics[0]).toBe(`${fleet.env.KAFKA_TOPIC_PREFIX}change-outcomes.group-0-of-1`);

    // Every ship writes at once, so the shared topic interleaves their outcomes.
    const written = new Map<string, string[]>();
    await Promise.all(
      SHIPS.map(async (shipId) => {
        const ids: string[] = [];
        for (let i = 0; i < NOTES_PER_SHIP; i += 1) {
          const res = await shipApi(ships.get(shipId)!, CREW_KEY)
            .post('/api/content/note')
            .send({ data: { text: `${shipId} note ${i}` } })
            .expect(201);
          ids.push((res.body as DocumentView).id);
        }
        written.set(shipId, ids);
      }),
    );

    // Each ship's own changes settle as applied (version 1, synced) from the shared topic...
    for (const [shipId, ids] of written) {
      for (const id of ids) {
        await waitFor(
          async () => {
            const doc = await shipDocument(shipId, id);
            return doc?.sync?.state === 'synced' && doc.version === 1;
          },
          { timeoutMs: 60_000, description: `${shipId}'s note ${id} synced` },
        );
      }
    }
    // ...and every ship holds every other ship's notes, through master-updates.
    const all = [...written.values()].flat();
    for (const shipId of SHIPS) {
      await waitFor(
        async () => {
          for (const id of all) if (!(await shipDocument(shipId, id))) return false;
          return true;
        },
        { timeoutMs: 60_000, description: `${shipId} holds all ${all.length} notes` },
      );
    }

    // Nothing refused: the others' outcomes were passed over, not dead-lettered as wrong-ship.
    for (const shipId of SHIPS) {
      const status = await shipApi(ships.get(shipId)!).get('/api/offline-sync/status').expect(200);
      expect(status.body).toMatchObject({ deadLetters: 0, awaitingOutcome: 0, pending: 0 });
    }
    const masterLetters = await masterApi(master, 'operator')
      .get('/api/offline-sync/dead-letters')
      .expect(200);
    expect(masterLetters.body).toMatchObject({ total: 0 });

    // The shared topic carries all three ships' outcomes, each keyed by its ship.
    const keys = await outcomeKeys(topics[0]);
    expect([...new Set(keys)].sort()).toEqual([...SHIPS].sort());

    // Same content everywhere.
    const masterSum = (
      await masterApi(master, 'viewer').get('/api/offline-sync/checksum').expect(200)
    ).body as unknown;
    for (const shipId of SHIPS) {
      await waitFor(
        async () => {
          const res = await shipApi(ships.get(shipId)!).get('/api/offline-sync/checksum');
          return JSON.stringify(res.body) === JSON.stringify(masterSum);
        },
        { timeoutMs: 30_000, description: `${shipId}'s checksum equal to the master's` },
      );
    }
  }, 240_000);
});

/** The keys of every message on a topic, read from the start. */
async function outcomeKeys(topic: string): Promise<string[]> {
  const kafka = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const end = Number(offsets[0].high);
    const consumer = kafka.consumer({ groupId: `outcome-keys-${Date.now()}` });
    const keys: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: ({ message }) => {
          keys.push(message.key?.toString('utf8') ?? '');
          return Promise.resolve();
        },
      });
      await waitFor(() => keys.length >= end, {
        timeoutMs: 30_000,
        description: `${end} messages of ${topic} read`,
      });
    } finally {
      await consumer.disconnect();
    }
    return keys;
  } finally {
    await admin.disconnect();
  }
}
