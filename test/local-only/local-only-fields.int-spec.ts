import type { INestApplication } from '@nestjs/common';
import { exportPrivateKeyBase64, exportPublicKeyBase64 } from '@offline-sync/sync-core';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { api as masterApi, createFleet, createShips } from '../../apps/master/test/master-test-kit';
import { createMasterApp } from '../../apps/master/src/master.app';
import { ShipConfig } from '../../apps/ship/src/core/config/ship-config';
import {
  CREW_KEY,
  api as shipApi,
  createShipTopics,
  shipEnv,
  startShip,
} from '../../apps/ship/src/testing/ship-test-kit';
import { startLinkedKafka, type LinkedKafka } from '../harness/linked-kafka';
import { createTestDatabase, dropTestDatabase, waitFor } from '../harness/test-infra';

/** `pinCode` is declared local-only; `password`, `apiKey` and `accessToken` match the default pattern. */
const CONTENT_TYPES = JSON.stringify({
  'crew-member': { policy: 'manual', localized: false, localOnly: ['pinCode'] },
});

// Values that must never cross the ship's link, nor reach the master's database from a ship.
const SHIP_PIN = 'ship-pin-4821-first';
const SHIP_PIN_2 = 'ship-pin-7306-second';
const SHIP_PASSWORD = 'ship-password-hunter2';
const SHIP_API_KEY = 'ship-apikey-9f3a77c1';
const SHORE_PIN = 'shore-pin-5519';
const SHORE_TOKEN = 'shore-token-c0ffee42';
const FORGED_PIN = 'forged-pin-6666';
const FORGED_PASSWORD = 'forged-password-letmein';

interface DocumentView {
  id: string;
  version: number;
  data: Record<string, unknown>;
  sync?: { state: string };
}

/**
 * Local-only fields end to end: a ship and the master in process, the ship's every connection to
 * the broker through a link proxy that records each byte (uncompressed: KAFKA_COMPRESSION=none),
 * and a second ship that sends local-only fields anyway (as a release that did not strip them
 * would). Nothing sensitive crosses the link, the master stores none of the ships' values, both
 * nodes serve their own, and their checksums agree.
 */
describe('local-only fields never leave their node (real Kafka behind a link, PostgreSQL)', () => {
  let kafka: LinkedKafka;
  let databaseUrl: string;
  let master: INestApplication;
  let ship: INestApplication;
  let capture: ReturnType<LinkedKafka['links'][string]['proxy']['capture']>;
  let producer: Producer | undefined;
  let fleet: ReturnType<typeof createFleet>;

  beforeAll(async () => {
    kafka = await startLinkedKafka(['ship-a']);
    databaseUrl = await createTestDatabase('local_only');
    fleet = createFleet(databaseUrl, ['ship-a', 'ship-b'], {
      KAFKA_BROKERS: kafka.brokers,
      SYNC_CONTENT_TYPES: CONTENT_TYPES,
      KAFKA_COMPRESSION: 'none',
    });
    master = await createMasterApp(fleet.config);
    await master.init();

    const keys = fleet.ships.get('ship-a')!;
    const env = shipEnv(
      {
        shipPrivate: exportPrivateKeyBase64(keys.privateKey),
        shipPublic: exportPublicKeyBase64(keys.publicKey),
        masterPrivate: fleet.masterKeys.privateKey,
        masterPublic: exportPublicKeyBase64(fleet.masterKeys.publicKey),
      },
      [kafka.links['ship-a'].brokers],
      {
        SYNC_SHIP_ID: 'ship-a',
        KAFKA_TOPIC_PREFIX: fleet.env.KAFKA_TOPIC_PREFIX,
        SYNC_CONTENT_TYPES: CONTENT_TYPES,
        KAFKA_COMPRESSION: 'none',
      },
    );
    await createShipTopics(ShipConfig.fromEnv(env), kafka.brokers.split(','));
    // Every byte of the ship's link from its first connection on.
    capture = kafka.links['ship-a'].proxy.capture();
    ship = await startShip(env);
  }, 180_000);

  afterAll(async () => {
    capture?.stop();
    await ship?.close();
    await master?.close();
    await producer?.disconnect();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
    await kafka?.stop();
  }, 60_000);

  const shipDocument = async (id: string): Promise<DocumentView> =>
    (await shipApi(ship, CREW_KEY).get(`/api/content/crew-member/${id}`).expect(200))
      .body as DocumentView;
  const masterDocument = async (id: string): Promise<DocumentView> =>
    (await masterApi(master, 'viewer').get(`/api/content/crew-member/${id}`).expect(200))
      .body as DocumentView;
  const shipAt = (id: string, version: number) =>
    waitFor(
      async () => {
        const doc = await shipDocument(id);
        return doc.version === version && doc.sync?.state === 'synced' ? doc : undefined;
      },
      { timeoutMs: 60_000, description: `ship-a's copy synced at version ${version}` },
    );

  it('keeps them on the node that wrote them, off the wire, out of the master, and out of the checksum', async () => {
    // The crew writes a record with a pin, a password: served back here in full.
    const created = (
      await shipApi(ship, CREW_KEY)
        .post('/api/content/crew-member')
        .send({ data: { name: 'Ada', pinCode: SHIP_PIN, password: SHIP_PASSWORD } })
        .expect(201)
    ).body as DocumentView;
    expect(created.data).toEqual({ name: 'Ada', pinCode: SHIP_PIN, password: SHIP_PASSWORD });
    const id = created.id;
    await shipAt(id, 1);
    expect((await masterDocument(id)).data).toEqual({ name: 'Ada' });

    // Changing only the pin queues nothing: the document stays synced.
    const pinOnly = (
      await shipApi(ship, CREW_KEY)
        .patch(`/api/content/crew-member/${id}`)
        .send({ data: { pinCode: SHIP_PIN_2 } })
        .expect(200)
    ).body as DocumentView;
    expect(pinOnly).toMatchObject({ version: 1, sync: { state: 'synced' } });
    expect(pinOnly.data.pinCode).toBe(SHIP_PIN_2);
    const pending = await shipApi(ship).get('/api/offline-sync/queue/pending').expect(200);
    expect(pending.body).toMatchObject({ total: 0 });

    // An edit of a synced field with a new local-only one sends the synced field alone.
    await shipApi(ship, CREW_KEY)
      .patch(`/api/content/crew-member/${id}`)
      .send({ data: { name: 'Ada L.', apiKey: SHIP_API_KEY } })
      .expect(200);
    await shipAt(id, 2);
    expect((await masterDocument(id)).data).toEqual({ name: 'Ada L.' });

    // The master's own local-only values stay on the master; its update reaches the ship without
    // them, and the ship keeps its own.
    const shore = await masterApi(master, 'operator')
      .patch(`/api/content/crew-member/${id}`, {
        data: { rank: 'chief', pinCode: SHORE_PIN, accessToken: SHORE_TOKEN },
      })
      .expect(200);
    expect((shore.body as DocumentView).data).toEqual({
      name: 'Ada L.',
      rank: 'chief',
      pinCode: SHORE_PIN,
      accessToken: SHORE_TOKEN,
    });
    const onShip = await shipAt(id, 3);
    expect(onShip.data).toEqual({
      name: 'Ada L.',
      rank: 'chief',
      pinCode: SHIP_PIN_2,
      password: SHIP_PASSWORD,
      apiKey: SHIP_API_KEY,
    });

    // A ship that sends them anyway: the master takes the rest and stores none of them.
    producer = new Kafka({
      clientId: 'local-only-test',
      brokers: kafka.brokers.split(','),
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    const shipB = createShips(fleet, producer).get('ship-b')!;
    await shipB.push({
      type: 'crew-member',
      documentId: id,
      locale: '',
      baseVersion: 3,
      fields: { name: 'Ada Lovelace', pinCode: FORGED_PIN, password: FORGED_PASSWORD },
    });
    await waitFor(async () => (await masterDocument(id)).version === 4, {
      timeoutMs: 30_000,
      description: "ship-b's change applied as version 4",
    });
    expect((await masterDocument(id)).data).toEqual({
      name: 'Ada Lovelace',
      rank: 'chief',
      pinCode: SHORE_PIN,
      accessToken: SHORE_TOKEN,
    });
    const converged = await shipAt(id, 4);
    expect(converged.data).toMatchObject({ name: 'Ada Lovelace', pinCode: SHIP_PIN_2 });

    // Different local-only values on each node, and yet the same checksum.
    const shipSum = await shipApi(ship).get('/api/offline-sync/checksum').expect(200);
    const masterSum = await masterApi(master, 'viewer')
      .get('/api/offline-sync/checksum')
      .expect(200);
    expect(shipSum.body).toEqual(masterSum.body);

    // The link: ship changes went up and master updates came down, readable (no compression)...
    capture.stop();
    const up = capture.bytes('up');
    const down = capture.bytes('down');
    expect(up.includes('Ada L.')).toBe(true);
    expect(down.includes('chief')).toBe(true);
    expect(down.includes('Ada Lovelace')).toBe(true);
    // ...and not one sensitive value either way.
    const all = capture.bytes();
    const crossed = [
      SHIP_PIN,
      SHIP_PIN_2,
      SHIP_PASSWORD,
      SHIP_API_KEY,
      SHORE_PIN,
      SHORE_TOKEN,
      FORGED_PIN,
      FORGED_PASSWORD,
    ].filter((value) => all.includes(value));
    expect(crossed).toEqual([]);

    // The master's database holds none of the ships' values, in any table.
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const tables = await client.query<{ name: string }>(
        `SELECT quote_ident(table_name) AS name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      const found: string[] = [];
      for (const { name } of tables.rows) {
        for (const value of [
          SHIP_PIN,
          SHIP_PIN_2,
          SHIP_PASSWORD,
          SHIP_API_KEY,
          FORGED_PIN,
          FORGED_PASSWORD,
        ]) {
          const hit = await client.query(
            `SELECT 1 FROM ${name} t WHERE t::text LIKE '%' || $1 || '%' LIMIT 1`,
            [value],
          );
          if (hit.rowCount) found.push(`${name}: ${value}`);
        }
      }
      expect(found).toEqual([]);
      // The master's own values it does keep (a sanity check of the search).
      const own = await client.query(`SELECT 1 FROM documents t WHERE t::text LIKE $1`, [
        `%${SHORE_PIN}%`,
      ]);
      expect(own.rowCount).toBe(1);
    } finally {
      await client.end();
    }
  }, 240_000);
});
