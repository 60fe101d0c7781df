import type { ShipChangeDto } from '@offline-sync/sync-core';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../../../test/harness/free-port';
import { REPO_ROOT } from '../../../../../test/harness/infra';
import { NodeProcess, appEntry } from '../../../../../test/harness/node-process';
import { kafkaBrokers, waitFor } from '../../../../../test/harness/test-infra';
import { ShipConfig } from '../config/ship-config';
import {
  OPERATOR_KEY,
  TestMaster,
  createShipTopics,
  createTestKeys,
  shipEnv,
} from '../../testing/ship-test-kit';

type Status = { online: boolean; pending: number; failed: number; awaitingOutcome: number };

const BACKLOG = 1500;
const WRITERS = 8;

/** The ship as production runs it (compiled), so SIGTERM reaches the real signal handling. */
function buildShip(): void {
  const result = spawnSync('npx', ['nest', 'build', 'ship'], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (result.status !== 0 || !existsSync(appEntry('ship'))) {
    throw new Error(`nest build ship failed:\n${result.stdout}\n${result.stderr}`);
  }
}

/**
 * SIGTERM while a real ship process is flushing a large backlog: it exits 0 (within its
 * SHUTDOWN_TIMEOUT, past which it would exit 1), and after a restart on the same SQLite file the
 * master has every change exactly once by changeId and the outbox drains.
 */
describe('ship graceful shutdown: SIGTERM mid-flush (real process, Kafka + SQLite)', () => {
  const keys = createTestKeys();
  const brokers = kafkaBrokers();
  const dir = mkdtempSync(join(tmpdir(), 'ship-sigterm-'));
  let ship: NodeProcess | undefined;
  let master: TestMaster | undefined;

  afterAll(async () => {
    await ship?.kill9();
    await master?.stop();
  });

  const call = (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${ship!.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-api-key': OPERATOR_KEY },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const status = async () =>
    (await (await call('GET', '/api/offline-sync/status')).json()) as Status;

  it('exits 0 mid-flush and loses or repeats nothing after the restart', async () => {
    buildShip();
    const port = await freePort();
    const deadPort = await freePort();
    const base = shipEnv(keys, brokers, {
      SYNC_SHIP_ID: 'ship-sigterm',
      DATABASE_FILENAME: join(dir, 'ship.db'),
      SYNC_BATCH_SIZE: '5', // many small envelopes: the flush lasts long enough to be cut
      SYNC_CONNECTIVITY_CHECK_INTERVAL: '300',
      SHUTDOWN_TIMEOUT: '15000',
      LOG_LEVEL: 'info',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    });
    const config = ShipConfig.fromEnv(base);
    await createShipTopics(config, brokers);
    master = await new TestMaster(config, keys, brokers).start();
    const at = (name: string, env: Record<string, string>) =>
      new NodeProcess(name, 'ship', port, env, join(dir, `${name}.log`));

    // 1. A backlog written offline (no broker behind the address), then a clean stop.
    ship = at('ship-offline', { ...base, KAFKA_BROKERS: `127.0.0.1:${deadPort}` });
    await ship.start();
    const ids: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (next < BACKLOG) {
          const i = (next += 1);
          const response = await call('POST', '/api/content/note', { data: { text: `n ${i}` } });
          expect(response.status).toBe(201);
          ids.push(((await response.json()) as { id: string }).id);
        }
      }),
    );
    expect((await status()).pending).toBe(BACKLOG);
    expect(await ship.stop()).toBe(0);

    // 2. With the link: SIGTERM as soon as the master has part of the backlog.
    ship = at('ship-online', base);
    await ship.start();
    await waitFor(() => master!.changes.length > 0, {
      timeoutMs: 60_000,
      intervalMs: 5,
      description: 'the flush under way',
    });
    const signalledAt = Date.now();
    const code = await ship.stop();
    const shutdownMs = Date.now() - signalledAt;
    expect(code).toBe(0);
    const log = readFileSync(join(dir, 'ship-online.log'), 'utf8');
    expect(log).toContain('SIGTERM received');
    expect(log).toContain('Shut down cleanly');
    const atStop = master.changes.length;

    // 3. Restart on the same file: the rest is sent, nothing twice.
    await ship.start();
    await waitFor(async () => (await status()).pending === 0, {
      timeoutMs: 120_000,
      description: 'everything sent',
    });
    await waitFor(() => master!.changes.length >= BACKLOG, {
      timeoutMs: 60_000,
      description: 'every change at the master',
    });
    const byChange = new Map<string, ShipChangeDto>();
    for (const change of master.changes) {
      expect(byChange.has(change.changeId)).toBe(false); // never two envelopes for one change
      byChange.set(change.changeId, change);
    }
    const documents = [...byChange.values()].map((change) => change.documentId);
    expect(documents.length).toBe(BACKLOG);
    expect(new Set(documents)).toEqual(new Set(ids));
    expect(master.alteredRedeliveries).toEqual([]);
    expect(master.rejected).toEqual([]);
    console.log(
      `SIGTERM mid-flush: exit 0 after ${shutdownMs} ms with ${atStop}/${BACKLOG} changes at the ` +
        `master; ${master.deliveries} deliveries for ${master.envelopes.size} envelopes`,
    );

    // 4. The master's outcomes settle every change: the outbox drains.
    await master.applyAll(byChange.values());
    await waitFor(
      async () => {
        const now = await status();
        return now.pending === 0 && now.awaitingOutcome === 0 && now.failed === 0;
      },
      { timeoutMs: 60_000, description: 'an empty outbox' },
    );
    expect(await ship.stop()).toBe(0);
  });
});
