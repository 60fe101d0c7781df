import type { INestApplication } from '@nestjs/common';
import { encodeEnvelope } from '@offline-sync/sync-core';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import {
  createKafka,
  createTestDatabase,
  dropTestDatabase,
  waitFor,
} from '../../../test/harness/test-infra';
import { createMasterApp } from '../src/master.app';
import {
  api,
  createFleet,
  createShips,
  newDocumentId,
  type Fleet,
  type TestShip,
} from './master-test-kit';
import { Scrape } from '../../../test/harness/prometheus-text';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const ENVELOPES = 12;
const CHANGES_PER_ENVELOPE = 3;
const QUEUE_DEPTH = 7;
const APPLIED_OFFSET = 10;

/**
 * /api/offline-sync/metrics against what the test did: N signed envelopes from one ship, one of
 * them sent again, one with a broken signature and one that is not JSON. Counters are compared
 * as differences from a scrape taken before, gauges as absolute values read from the database.
 */
describe('master metrics match what happened (real Kafka + PostgreSQL)', () => {
  let databaseUrl: string;
  let fleet: Fleet;
  let app: INestApplication;
  let producer: Producer;
  let db: Client;
  let x: TestShip;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('master_metrics');
    // No retries: a dead letter is `exhausted` at once, so its status is known.
    fleet = createFleet(databaseUrl, ['ship-x', 'ship-y'], { SYNC_RETRY_ATTEMPTS: '0' });
    app = await createMasterApp(fleet.config);
    await app.init();
    producer = createKafka('master-metrics-test').producer({ idempotent: true });
    await producer.connect();
    x = createShips(fleet, producer).get('ship-x') as TestShip;
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await app?.close();
    await producer?.disconnect();
    await db?.end();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  async function scrape(): Promise<Scrape> {
    const res = await api(app, 'viewer').get('/api/offline-sync/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return new Scrape(res.text);
  }

  async function count(sql: string): Promise<number> {
    const { rows } = await db.query<{ n: number }>(sql);
    return rows[0].n;
  }

  it('counts messages, ships and dead letters exactly', async () => {
    await x.heartbeat({
      queueDepth: QUEUE_DEPTH,
      appliedPosition: { '0': String(APPLIED_OFFSET) },
    });
    await waitFor(async () => (await count(`SELECT count(*)::int AS n FROM ships`)) === 1, {
      timeoutMs: 30_000,
      description: 'ship-x registered by its heartbeat',
    });
    const before = await scrape();

    const envelopes = [];
    for (let i = 0; i < ENVELOPES; i += 1) {
      const id = newDocumentId();
      envelopes.push(
        x.envelope([
          x.change({ op: 'create', documentId: id, fields: { title: `doc ${i}` } }),
          x.change({ documentId: id, baseVersion: 1, fields: { body: 'edited' } }),
          x.change({ documentId: id, baseVersion: 2, fields: { tags: ['x'] } }),
        ]),
      );
    }
    await x.send(...envelopes);
    // The same envelope again, as a ship resending after a lost acknowledgement.
    await x.send(envelopes[0]);
    // Poison: a signature that does not match the content, and a value that is not JSON.
    const forged = x.envelope([x.change({ op: 'create', documentId: newDocumentId() })]);
    forged.payload.changes[0].fields = { title: 'altered after signing' };
    await x.send(forged);
    await producer.send({
      topic: fleet.config.topics.shipUpdates,
      messages: [{ key: 'ship-x', value: encodeEnvelope(forged).subarray(0, 20) }],
    });

    const delta = (after: Scrape, name: string, labels: Record<string, string> = {}): number =>
      after.count(name, labels) - before.count(name, labels);
    const messages = 'offline_sync_messages_total';
    await waitFor(
      async () => {
        const current = await scrape();
        const seen =
          delta(current, messages, { status: 'processed' }) +
          delta(current, messages, { status: 'duplicate' }) +
          delta(current, messages, { status: 'dead-lettered' });
        const drained =
          (await count(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`)) === 0;
        return seen >= ENVELOPES + 3 && drained;
      },
      { timeoutMs: 60_000, description: 'every message counted and the outbox drained' },
    );
    const final = await scrape();

    expect(delta(final, messages, { status: 'processed' })).toBe(ENVELOPES);
    expect(delta(final, messages, { status: 'duplicate' })).toBe(1);
    expect(delta(final, messages, { status: 'dead-lettered' })).toBe(2);
    expect(delta(final, messages, { status: 'replayed' })).toBe(0);
    expect(final.value('offline_sync_ships_total')).toBe(1);
    expect(final.value('offline_sync_ships_online')).toBe(1);
    // The fleet in aggregates; per ship only the ones with the highest values (here the one ship).
    expect(final.all('offline_sync_ship_online')).toHaveLength(0);
    expect(final.value('offline_sync_fleet_queue_depth')).toBe(QUEUE_DEPTH);
    expect(final.value('offline_sync_ships_silent', { over: '1h' })).toBe(0);
    expect(final.value('offline_sync_ship_queue_depth', { ship_id: 'ship-x' })).toBe(QUEUE_DEPTH);
    expect(final.all('offline_sync_ship_queue_depth', { ship: 'ship-x' })).toHaveLength(0);
    expect(final.value('offline_sync_ship_lag', { ship_id: 'ship-x' })).toBeGreaterThanOrEqual(0);
    expect(final.value('offline_sync_dead_letter_total', { status: 'exhausted' })).toBe(2);
    expect(final.value('offline_sync_dead_letter_total', { status: 'pending' })).toBe(0);
    expect(final.value('offline_sync_dead_letter_total', { status: 'retrying' })).toBe(0);
    expect(
      delta(final, 'offline_sync_rejected_envelopes_total', {
        reason: 'bad-signature',
        topic: 'ship-updates',
      }),
    ).toBe(1);
    expect(
      delta(final, 'offline_sync_rejected_envelopes_total', {
        reason: 'malformed',
        topic: 'ship-updates',
      }),
    ).toBe(1);

    // Every change applied once: the decisions, the batch sizes and the database agree.
    const changes = ENVELOPES * CHANGES_PER_ENVELOPE;
    expect(delta(final, 'offline_sync_changes_total', { decision: 'applied' })).toBe(changes);
    expect(delta(final, 'offline_sync_changes_total', { decision: 'conflict' })).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM revisions`)).toBe(changes);
    expect(delta(final, 'offline_sync_ingest_batch_size_sum')).toBe(
      changes + CHANGES_PER_ENVELOPE, // the duplicate's changes arrive too, and are skipped
    );
    const batches = delta(final, 'offline_sync_ingest_batch_size_count');
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(delta(final, 'offline_sync_ingest_batch_seconds_count')).toBe(batches);

    // Master updates published minus the position ship-x reported (one partition).
    const published = await count(
      `SELECT count(*)::int AS n FROM outbox WHERE kind = 'master-update' AND status = 'sent'`,
    );
    expect(published).toBeGreaterThan(APPLIED_OFFSET);
    // Kafka's high watermarks are cached for two seconds: the gauge catches up within that.
    const behind = async (): Promise<number | undefined> =>
      (await scrape()).value('offline_sync_ship_updates_behind', { ship_id: 'ship-x' });
    await waitFor(async () => (await behind()) === published - APPLIED_OFFSET, {
      timeoutMs: 10_000,
      description: `offline_sync_ship_updates_behind{ship_id="ship-x"} = ${published - APPLIED_OFFSET}`,
    });
    expect((await scrape()).value('offline_sync_fleet_updates_behind')).toBe(
      published - APPLIED_OFFSET,
    );
    expect(final.value('offline_sync_outbox_depth')).toBe(0);
    expect(final.all('offline_sync_conflicts_open')).toHaveLength(0);
    expect(final.value('offline_sync_info', { mode: 'master' })).toBe(1);
    expect(final.value('offline_sync_uptime_seconds')).toBeGreaterThan(0);
  }, 120_000);

  it('exports every metric the dashboard and the alert rules use', async () => {
    const used = new Set<string>();
    for (const file of ['offline-sync-alerts.yaml', 'offline-sync-dashboard.json']) {
      const text = readFileSync(path.join(REPO_ROOT, 'k8s', 'monitoring', file), 'utf8');
      for (const [name] of text.matchAll(/\boffline_sync_[a-z_]+/g)) used.add(name);
    }
    expect(used.size).toBeGreaterThan(5);
    const exported = (await scrape()).names();
    const missing = [...used].filter((name) => !exported.has(name));
    expect(missing).toEqual([]);
  });
});
