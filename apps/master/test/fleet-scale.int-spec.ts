import { Logger, type INestApplication } from '@nestjs/common';
import { MessageKind, encodeEnvelope, signEnvelope } from '@offline-sync/sync-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { FleetSim, generateFleetIdentities, writeShipKeyFile } from '../../../bench/fleet-sim';
import {
  createKafka,
  createTestDatabase,
  dropTestDatabase,
  kafkaBrokers,
  waitFor,
} from '../../../test/harness/test-infra';
import { v7 as uuidv7 } from 'uuid';
import { MasterConfig } from '../src/core/config/master-config';
import { createMasterApp } from '../src/master.app';
import type { ShipPage } from '../src/registry/ship-registry.service';
import { api, body, createFleet, type Fleet } from './master-test-kit';
import { Scrape } from '../../../test/harness/prometheus-text';

const SHIPS = 1000;
/** Ships that write and read their outcomes (only their outcome topics are created). */
const SAMPLED = 40;
const TOP_SHIPS = 5;
/** 1,000 ships beating every 3 s: the heartbeat rate of 10,000 ships at 30 s. */
const HEARTBEAT_MS = 3000;
const OFFLINE_AFTER_MS = 12_000;
const SWEEP_MS = OFFLINE_AFTER_MS / 4;

interface HealthDetail {
  info: { ships: { total: number; online: number; ships: Array<{ id: string }> } };
}

/**
 * A fleet of 1,000 ships played at the protocol level (bench/fleet-sim) against two master
 * replicas in one consumer group: every ship heartbeats, 40 of them write and read their
 * outcomes. The registry is exact after 30% of the fleet goes silent at once and comes back,
 * every sampled change gets its outcome, nothing is dead-lettered or logged as an error, and what
 * the master serves about the fleet (metrics, ships API, health detail) stays the same size.
 */
describe('a fleet of 1,000 simulated ships against two master replicas (real Kafka + PostgreSQL)', () => {
  let databaseUrl: string;
  let dir: string;
  let fleet: Fleet;
  let config: MasterConfig;
  const replicas: INestApplication[] = [];
  let sim: FleetSim;
  let db: Client;
  let errors: jest.SpyInstance;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('master_fleet');
    dir = mkdtempSync(path.join(tmpdir(), 'fleet-keys-'));
    const ships = generateFleetIdentities(SHIPS, 'fleet');
    const keyFile = path.join(dir, 'ship-public-keys.txt');
    writeShipKeyFile(keyFile, ships);
    fleet = createFleet(databaseUrl, [], {
      SYNC_SHIP_PUBLIC_KEYS_FILE: keyFile,
      SYNC_SHIP_OFFLINE_AFTER: String(OFFLINE_AFTER_MS),
      SYNC_METRICS_TOP_SHIPS: String(TOP_SHIPS),
      KAFKA_SHIP_UPDATES_PARTITIONS: '4',
    });
    config = fleet.config;
    expect(config.shipPublicKeys).toHaveLength(SHIPS);
    for (let i = 0; i < 2; i += 1) {
      const app = await createMasterApp(config);
      await app.init();
      replicas.push(app);
    }
    await waitForGroup(2);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    sim = new FleetSim({
      kafka: { brokers: kafkaBrokers(), clientId: 'fleet-sim' },
      topics: config.topics,
      ships,
      masterPublicKey: fleet.masterKeys.publicKey,
      contentType: 'setting',
      heartbeatIntervalMs: HEARTBEAT_MS,
      sampled: SAMPLED,
      updateReaders: 2,
      writers: 'sampled',
      groupPrefix: `${config.consumerGroupId}.ships`,
    });
    await sim.start();
    // From here on, an error logged by either replica is a failure (joining the group is over).
    errors = jest.spyOn(Logger.prototype, 'error');
  }, 180_000);

  afterAll(async () => {
    errors?.mockRestore();
    await sim?.stop();
    for (const app of replicas) await app.close();
    await db?.end();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
    if (dir) rmSync(dir, { recursive: true, force: true });
    // The topics this fleet made on the shared broker (its outcome topics among them).
    const admin = createKafka('fleet-cleanup').admin();
    await admin.connect();
    try {
      const prefix = fleet?.env.KAFKA_TOPIC_PREFIX;
      const topics = prefix ? (await admin.listTopics()).filter((t) => t.startsWith(prefix)) : [];
      if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
    } finally {
      await admin.disconnect();
    }
  }, 120_000);

  async function waitForGroup(members: number): Promise<void> {
    const admin = createKafka('fleet-admin').admin();
    await admin.connect();
    try {
      await waitFor(
        async () => {
          const { groups } = await admin.describeGroups([config.consumerGroupId]);
          return groups[0]?.state === 'Stable' && groups[0].members.length === members;
        },
        { timeoutMs: 60_000, description: `${members} replicas in the consumer group` },
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** Every ship id of one status, page by page through the ships API of one replica. */
  async function shipIds(app: INestApplication, status: 'online' | 'offline'): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 1; ; page += 1) {
      const res = await api(app, 'viewer')
        .get(`/api/offline-sync/ships?status=${status}&page=${page}&pageSize=200`)
        .expect(200);
      const { items, total } = body<ShipPage>(res);
      ids.push(...items.map((ship) => ship.id));
      if (items.length === 0 || ids.length >= total) return ids;
    }
  }

  async function fleetCounts(): Promise<{ total: number; online: number }> {
    const { rows } = await db.query<{ total: number; online: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'online')::int AS online
         FROM ships`,
    );
    return rows[0];
  }

  it('registers every ship, keeps the registry exact through a 30% flap, and answers every sampled change', async () => {
    sim.heartbeatAll();
    await waitFor(async () => (await fleetCounts()).online === SHIPS, {
      timeoutMs: 60_000,
      intervalMs: 200,
      description: `${SHIPS} ships online`,
    });
    sim.setChangeRate(100);

    // 30% of the fleet goes silent at once: exactly those, and only those, go offline.
    const silent = sim.ships.filter((_, i) => i % 10 < 3).map((ship) => ship.id);
    sim.silence(silent);
    await waitFor(async () => (await fleetCounts()).online === SHIPS - silent.length, {
      timeoutMs: 60_000,
      description: `${SHIPS - silent.length} ships online after the flap`,
    });
    for (const app of replicas) {
      expect((await shipIds(app, 'offline')).sort()).toEqual([...silent].sort());
    }
    // And it stays exact over further sweeps while the rest keeps beating.
    await new Promise((resolve) => setTimeout(resolve, 3 * SWEEP_MS));
    expect(await fleetCounts()).toEqual({ total: SHIPS, online: SHIPS - silent.length });

    sim.resume(silent);
    await waitFor(async () => (await fleetCounts()).online === SHIPS, {
      timeoutMs: 60_000,
      description: `${SHIPS} ships online again`,
    });
    expect(await shipIds(replicas[1], 'offline')).toEqual([]);
    expect((await shipIds(replicas[0], 'online')).length).toBe(SHIPS);

    sim.setChangeRate(0);
    await waitFor(() => sim.unsent === 0 && sim.undelivered().length === 0, {
      timeoutMs: 120_000,
      intervalMs: 200,
      description: 'an outcome for every sampled change',
    });
    const stats = sim.stats;
    expect(stats.changesSent).toBeGreaterThan(SAMPLED);
    expect(stats.outcomes).toEqual({ applied: stats.changesSent });
    expect(stats.updatesRead).toBeGreaterThan(0);
    expect(stats.refused).toEqual([]);
    expect(stats.sendErrors).toBe(0);

    // No replica error: nothing dead-lettered, parked or left unsent, nothing logged as an error
    // (a send the broker answered with a transient error and the relay sent again is no error).
    const { rows } = await db.query<{ dead: number; unsent: number }>(
      `SELECT (SELECT count(*)::int FROM dead_letters) AS dead,
              (SELECT count(*)::int FROM outbox WHERE status <> 'sent') AS unsent`,
    );
    expect(rows[0]).toEqual({ dead: 0, unsent: 0 });
    expect(errors.mock.calls).toEqual([]);
  }, 300_000);

  it('serves the fleet in a size that does not grow with it: metrics, ships pages, health detail', async () => {
    const app = replicas[0];
    const scrape = new Scrape(
      (await api(app, 'viewer').get('/api/offline-sync/metrics').expect(200)).text,
    );
    expect(scrape.value('offline_sync_ships_total')).toBe(SHIPS);
    expect(scrape.value('offline_sync_ships_online')).toBe(SHIPS);
    const perShip = scrape.samples.filter((s) => s.labels.ship_id !== undefined);
    const byName = new Map<string, number>();
    for (const s of perShip) byName.set(s.name, (byName.get(s.name) ?? 0) + 1);
    expect([...byName].filter(([, count]) => count > TOP_SHIPS)).toEqual([]);
    expect(scrape.samples.length).toBeLessThan(500);

    const page = body<ShipPage>(
      await api(app, 'viewer').get('/api/offline-sync/ships?page=3&pageSize=100').expect(200),
    );
    expect(page).toMatchObject({ page: 3, pageSize: 100, total: SHIPS, online: SHIPS });
    expect(page.items.map((s) => s.id)).toEqual(sim.ships.slice(200, 300).map((ship) => ship.id));
    const unpaged = body<ShipPage>(await api(app, 'viewer').get('/api/offline-sync/ships'));
    expect(unpaged.items).toHaveLength(50);
    expect(unpaged.items.every((ship) => ship.openConflicts === 0)).toBe(true);
    const wanted = sim.ships[250].id;
    const prefix = wanted.slice(0, -1);
    const searched = body<ShipPage>(
      await api(app, 'viewer')
        .get(`/api/offline-sync/ships?search=${encodeURIComponent(prefix.toUpperCase())}`)
        .expect(200),
    );
    expect(searched.items.map((s) => s.id)).toEqual(
      sim.ships.filter((ship) => ship.id.startsWith(prefix)).map((ship) => ship.id),
    );
    expect(searched.total).toBe(10);
    // Wildcards are text: no id holds a percent sign.
    const literal = body<ShipPage>(
      await api(app, 'viewer').get('/api/offline-sync/ships?search=%25'),
    );
    expect(literal).toMatchObject({ items: [], total: 0 });
    await api(app, 'viewer').get('/api/offline-sync/ships?pageSize=5000').expect(400);
    await api(app, 'viewer').get('/api/offline-sync/ships?sort=size').expect(400);

    const health = body<HealthDetail>(await api(app, 'viewer').get('/api/offline-sync/health'));
    expect(health.info.ships).toMatchObject({ total: SHIPS, online: SHIPS });
    expect(health.info.ships.ships.length).toBeLessThanOrEqual(10);
  }, 60_000);

  it("takes a change each from 200 ships in a few transactions, not one per 20 ships' envelopes", async () => {
    const senders = sim.ships.filter((ship) => !sim.sampled.includes(ship)).slice(0, 200);
    const slices = async (): Promise<number> =>
      new Scrape((await api(replicas[0], 'viewer').get('/api/offline-sync/metrics')).text).count(
        'offline_sync_ingest_batch_size_count',
      );
    const before = await slices();
    const producer = createKafka('fleet-senders').producer({ idempotent: true });
    await producer.connect();
    try {
      // Ships that never wrote before: seq 1, a new document each, in one produce request.
      await producer.send({
        topic: config.topics.shipUpdates,
        messages: senders.map((ship) => ({
          key: ship.id,
          value: encodeEnvelope(
            signEnvelope(
              {
                sender: ship.id,
                kind: MessageKind.ShipChanges,
                payload: {
                  changes: [
                    {
                      changeId: uuidv7(),
                      seq: 1,
                      op: 'create',
                      type: 'setting',
                      documentId: uuidv7(),
                      locale: '',
                      baseVersion: 0,
                      fields: { title: ship.id },
                      editedAt: new Date().toISOString(),
                    },
                  ],
                },
              },
              ship.privateKey,
            ),
          ),
        })),
      });
    } finally {
      await producer.disconnect();
    }
    await waitFor(
      async () => {
        const { rows } = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM change_outcomes WHERE ship_id = ANY($1::text[])`,
          [senders.map((ship) => ship.id)],
        );
        return rows[0].n === senders.length;
      },
      { timeoutMs: 60_000, description: `a change of each of ${senders.length} ships decided` },
    );
    // Four partitions, each fetched whole: a few slices (20 envelopes a slice made it 10 or more).
    expect((await slices()) - before).toBeLessThanOrEqual(8);
  }, 120_000);
});
