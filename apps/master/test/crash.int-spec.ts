import type { ChildProcess } from 'node:child_process';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import {
  createKafka,
  createTestDatabase,
  dropTestDatabase,
  waitFor,
} from '../../../test/harness/test-infra';
import {
  createFleet,
  createShips,
  newDocumentId,
  type Fleet,
  type TestShip,
} from './master-test-kit';
import { fleetFigures } from './fleet-invariants';
import { spawnMaster } from './master-process';

const SHIPS = ['ship-1', 'ship-2', 'ship-3', 'ship-4'];

/**
 * `kill -9` of a master process in the middle of a stream of batches, then a restart: the batch in
 * flight was either committed whole (offsets may not be) or not at all, so after the restart every
 * change has exactly one decision and every document exactly its versions.
 */
describe('master killed with SIGKILL mid-batch, then restarted (real Kafka + PostgreSQL)', () => {
  let databaseUrl: string;
  let fleet: Fleet;
  let producer: Producer;
  let db: Client;
  let ships: TestShip[];
  let child: ChildProcess | null = null;
  let output = '';

  function startMaster(): ChildProcess {
    return spawnMaster(fleet.env, (chunk) => (output += chunk));
  }

  async function kill(proc: ChildProcess): Promise<void> {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  }

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('master_crash');
    fleet = createFleet(databaseUrl, SHIPS, {
      KAFKA_SESSION_TIMEOUT: '6000',
      KAFKA_SHIP_UPDATES_PARTITIONS: '4',
      LOG_LEVEL: 'warn',
    });
    producer = createKafka('crash-test').producer({ idempotent: true });
    await producer.connect();
    const byId = createShips(fleet, producer);
    ships = SHIPS.map((id) => byId.get(id) as TestShip);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    if (child) await kill(child);
    await producer?.disconnect();
    await db?.end();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  /** Until the master process has joined the consumer group (its start-up is not counted). */
  async function waitForConsumer(): Promise<void> {
    const admin = createKafka('crash-admin').admin();
    await admin.connect();
    try {
      await waitFor(
        async () => {
          const { groups } = await admin.describeGroups([fleet.config.consumerGroupId]);
          return groups[0]?.state === 'Stable' && groups[0].members.length > 0;
        },
        {
          timeoutMs: 90_000,
          description: `the master in its consumer group (output: ${output.slice(-500)})`,
        },
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** One envelope per ship: 25 changes over 5 new documents (create + 4 edits each). */
  async function produceWave(): Promise<number> {
    let total = 0;
    await Promise.all(
      ships.map(async (ship) => {
        const changes = [];
        for (let d = 0; d < 5; d += 1) {
          const id = newDocumentId();
          changes.push(
            ship.change({ op: 'create', documentId: id, fields: { title: 'new', n: d } }),
          );
          for (let e = 0; e < 4; e += 1) {
            changes.push(
              ship.change({
                documentId: id,
                baseVersion: 1,
                fields: { n: e, body: 'x'.repeat(200) },
              }),
            );
          }
        }
        total += changes.length;
        await ship.send(ship.envelope(changes));
      }),
    );
    return total;
  }

  it('loses nothing and applies nothing twice', async () => {
    let expected = 0;
    let waves = 0;
    const wave = async (): Promise<void> => {
      expected += await produceWave();
      waves += 1;
    };
    for (let i = 0; i < 20; i += 1) await wave(); // a backlog before start

    child = startMaster();
    await waitForConsumer();
    // The ships keep sending while the master works, so it dies with batches in flight.
    let sending = true;
    const stream = (async () => {
      while (sending) {
        await wave();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    try {
      await waitFor(
        async () => {
          const { rows } = await db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM processed_envelopes',
          );
          return rows[0].n > 0;
        },
        { timeoutMs: 60_000, intervalMs: 10, description: 'the first batches applied' },
      );
      const wavesAtFirstCommit = waves;
      await waitFor(() => waves >= wavesAtFirstCommit + 5, {
        timeoutMs: 30_000,
        description: 'more waves in flight',
      });
      await kill(child);
      child = null;
    } finally {
      sending = false;
      await stream;
    }
    const atKill = await fleetFigures(db);
    expect(atKill.envelopes).toBeLessThan(waves * SHIPS.length);
    for (let i = 0; i < 5; i += 1) await wave();

    child = startMaster();
    await waitForConsumer();
    const figures = await waitFor(
      async () => {
        const current = await fleetFigures(db);
        return current.outcomes === expected && current.pendingOutbox === 0 ? current : undefined;
      },
      {
        timeoutMs: 150_000,
        description: `${expected} outcomes after the restart (master output: ${output.slice(-800)})`,
      },
    );
    expect(figures).toMatchObject({
      applied: expected,
      envelopes: waves * SHIPS.length,
      documents: (expected / 25) * 5,
      revisions: expected,
      inconsistent: 0,
      gaps: 0,
    });
    await kill(child);
    child = null;
  }, 300_000);
});
