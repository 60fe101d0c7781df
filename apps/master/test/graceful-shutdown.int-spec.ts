import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import * as path from 'node:path';
import type { Admin, Producer } from 'kafkajs';
import { Client } from 'pg';
import {
  createKafka,
  createTestDatabase,
  dropTestDatabase,
  uniqueName,
  waitFor,
} from '../../../test/harness/test-infra';
import { fleetFigures } from './fleet-invariants';
import { exitOf, spawnMaster } from './master-process';
import {
  createFleet,
  createShips,
  newDocumentId,
  type Fleet,
  type TestShip,
} from './master-test-kit';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const SHIPS = ['ship-1', 'ship-2', 'ship-3', 'ship-4'];
const BACKLOG_WAVES = 40;
const SHUTDOWN_TIMEOUT_MS = 30_000;

/**
 * SIGTERM to a master process while it ingests a large backlog and the ships keep sending: the
 * process stops taking work, finishes the batch in hand, flushes and exits 0 (SHUTDOWN_TIMEOUT
 * bounds it: past it the exit status is 1). Restarted on the same database and group, it applies
 * everything exactly once.
 */
describe('master stopped with SIGTERM mid-ingest, then restarted (real Kafka + PostgreSQL)', () => {
  let databaseUrl: string;
  let fleet: Fleet;
  let producer: Producer;
  let admin: Admin;
  let db: Client;
  let ships: TestShip[];
  let child: ChildProcess | null = null;
  let logFile: string;
  let log: WriteStream;

  function startMaster(): ChildProcess {
    return spawnMaster(fleet.env, (chunk) => log.write(chunk));
  }

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('master_sigterm');
    fleet = createFleet(databaseUrl, SHIPS, {
      KAFKA_SESSION_TIMEOUT: '6000',
      KAFKA_SHIP_UPDATES_PARTITIONS: '4',
      SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT_MS),
      LOG_LEVEL: 'info',
    });
    mkdirSync(path.join(REPO_ROOT, '.run'), { recursive: true });
    logFile = path.join(REPO_ROOT, '.run', `${uniqueName('master-sigterm')}.log`);
    log = createWriteStream(logFile);
    producer = createKafka('sigterm-test').producer({ idempotent: true });
    await producer.connect();
    admin = createKafka('sigterm-admin').admin();
    await admin.connect();
    const byId = createShips(fleet, producer);
    ships = SHIPS.map((id) => byId.get(id) as TestShip);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = exitOf(child);
      child.kill('SIGKILL');
      await exited;
    }
    await producer?.disconnect();
    await admin?.disconnect();
    await db?.end();
    log?.end();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  async function waitForConsumer(): Promise<void> {
    await waitFor(
      async () => {
        const { groups } = await admin.describeGroups([fleet.config.consumerGroupId]);
        return groups[0]?.state === 'Stable' && groups[0].members.length > 0;
      },
      { timeoutMs: 90_000, description: `the master in its consumer group (log: ${logFile})` },
    );
  }

  /** One envelope per ship: 25 changes over 5 new documents (create + 4 edits each). */
  async function produceWave(): Promise<number> {
    let total = 0;
    await Promise.all(
      ships.map(async (ship) => {
        const changes = [];
        for (let d = 0; d < 5; d += 1) {
          const id = newDocumentId();
          changes.push(ship.change({ op: 'create', documentId: id, fields: { title: 'new' } }));
          for (let e = 0; e < 4; e += 1) {
            changes.push(
              ship.change({ documentId: id, baseVersion: 1, fields: { body: 'x'.repeat(200) } }),
            );
          }
        }
        total += changes.length;
        await ship.send(ship.envelope(changes));
      }),
    );
    return total;
  }

  /** Messages of ship-updates the group has acknowledged (one envelope each). */
  async function acknowledged(): Promise<number> {
    const [offsets] = await admin.fetchOffsets({
      groupId: fleet.config.consumerGroupId,
      topics: [fleet.config.topics.shipUpdates],
    });
    return offsets.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  }

  it('finishes the batch in hand, exits 0, and loses nothing nor applies anything twice', async () => {
    let expected = 0;
    let waves = 0;
    const wave = async (): Promise<void> => {
      expected += await produceWave();
      waves += 1;
    };
    for (let i = 0; i < BACKLOG_WAVES; i += 1) await wave();

    child = startMaster();
    await waitForConsumer();
    let sending = true;
    const stream = (async () => {
      while (sending) {
        await wave();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    let shutdownMs: number;
    let exit: { code: number | null; signal: string | null };
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
      // SIGTERM while ships keep sending: what arrives after the consumer stopped is left for the
      // restart, however fast the batches in hand finish.
      const exited = exitOf(child);
      const signalledAt = process.hrtime.bigint();
      child.kill('SIGTERM');
      exit = await exited;
      shutdownMs = Number(process.hrtime.bigint() - signalledAt) / 1e6;
      child = null;
      // One more wave once it is gone, so some work is surely left.
      sending = false;
      await stream;
      await wave();
    } finally {
      sending = false;
      await stream;
    }

    // Exit status 0 means the drain finished within SHUTDOWN_TIMEOUT.
    expect(exit).toEqual({ code: 0, signal: null });
    const output = readFileSync(logFile, 'utf8');
    expect(output).toMatch(/SIGTERM received: draining/);
    expect(output).toMatch(/Shut down cleanly in \d+ ms/);
    const atExit = await fleetFigures(db);
    // Stopped mid-stream: work was left for the restart.
    expect(atExit.envelopes).toBeLessThan(waves * SHIPS.length);
    // What was committed is whole: every document consistent, nothing pending in the outbox
    // (the relay flushed before the process left).
    expect(atExit).toMatchObject({ inconsistent: 0, gaps: 0, pendingOutbox: 0 });
    // An offset is acknowledged only after its batch's transaction committed, and the batch in
    // hand at SIGTERM is acknowledged before the process leaves: the two counts are equal.
    const ackedAtExit = await acknowledged();
    expect(ackedAtExit).toBe(atExit.envelopes);

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
        description: `${expected} outcomes after the restart (log: ${logFile})`,
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
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT change_id FROM revisions GROUP BY change_id HAVING count(*) > 1) twice`,
    );
    expect(rows[0].n).toBe(0);

    const exited = exitOf(child);
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: 0, signal: null });
    child = null;
    process.stdout.write(
      `[figures] master SIGTERM mid-ingest: exit 0 in ${Math.round(shutdownMs)} ms; ` +
        `${atExit.envelopes}/${waves * SHIPS.length} envelopes committed at exit, ` +
        `${ackedAtExit} acknowledged; ${expected} changes applied once after the restart\n`,
    );
  }, 300_000);
});
