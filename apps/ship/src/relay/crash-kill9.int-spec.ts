import type { ShipChangeDto } from '@offline-sync/sync-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../../test/harness/free-port';
import { NodeProcess, buildApps } from '../../../../test/harness/node-process';
import { kafkaBrokers, waitFor } from '../../../../test/harness/test-infra';
import { ShipConfig } from '../core/config/ship-config';
import {
  OPERATOR_KEY,
  TestMaster,
  createShipTopics,
  createTestKeys,
  shipEnv,
} from '../testing/ship-test-kit';

type Status = { online: boolean; pending: number; failed: number; awaitingOutcome: number };

const WRITERS = 8;

/**
 * kill -9 of a real ship process mid-write, mid-flush and between send and outcome, restarted
 * each time on the same SQLite file: no accepted write is lost, and as far as the master's dedupe
 * goes nothing is duplicated (one changeId per write, a seq never given to other content).
 */
describe('ship crash safety: kill -9 (real process, Kafka + SQLite)', () => {
  const keys = createTestKeys();
  const brokers = kafkaBrokers();
  const dir = mkdtempSync(join(tmpdir(), 'ship-crash-'));
  let ship: NodeProcess | undefined;
  let master: TestMaster | undefined;

  // Compiling both apps is set-up, not the test: on a busy machine it can take minutes.
  beforeAll(() => buildApps(), 600_000);

  afterAll(async () => {
    await ship?.kill9();
    await master?.stop();
  });

  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${ship!.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-api-key': OPERATOR_KEY },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
  const status = async () =>
    (await (await call('GET', '/api/offline-sync/status')).json()) as Status;

  /** Writes until `stop()` or until the process dies; returns the ids it got a 201 for. */
  function writeUntilStopped(prefix: string): { accepted: string[]; stop: () => Promise<void> } {
    const accepted: string[] = [];
    let stopped = false;
    let n = 0;
    const writers = Array.from({ length: WRITERS }, async () => {
      while (!stopped) {
        const i = (n += 1);
        try {
          const response = await call('POST', '/api/content/note', {
            data: { text: `${prefix} ${i}`, i },
          });
          if (response.status !== 201) throw new Error(`status ${response.status}`);
          accepted.push(((await response.json()) as { id: string }).id);
        } catch {
          return; // the process is gone: a write without its 201 was not accepted
        }
      }
    });
    return {
      accepted,
      stop: async () => {
        stopped = true;
        await Promise.all(writers);
      },
    };
  }

  it('loses no accepted write and duplicates nothing across three kills', async () => {
    const port = await freePort();
    const deadPort = await freePort();
    const base = shipEnv(keys, brokers, {
      SYNC_SHIP_ID: 'ship-crash',
      DATABASE_FILENAME: join(dir, 'ship.db'),
      SYNC_BATCH_SIZE: '5', // many small envelopes: a flush lasts long enough to be cut
      SYNC_CONNECTIVITY_CHECK_INTERVAL: '300',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    });
    const config = ShipConfig.fromEnv(base);
    await createShipTopics(config, brokers);
    master = await new TestMaster(config, keys, brokers).start();
    const offlineEnv = { ...base, KAFKA_BROKERS: `127.0.0.1:${deadPort}` };
    const at = (name: string, env: Record<string, string>) =>
      new NodeProcess(name, 'ship', port, env, join(dir, `${name}.log`));

    // 1. Offline backlog, then kill -9 while writes are in flight.
    ship = at('ship-offline', offlineEnv);
    await ship.start();
    const first = writeUntilStopped('first');
    await waitFor(() => first.accepted.length >= 800, {
      timeoutMs: 120_000,
      intervalMs: 20,
      description: 'an offline backlog',
    });
    await ship.kill9(); // mid-write
    await first.stop();

    // 2. Restart offline on the same file, more writes, a clean stop point.
    await ship.start();
    const second = writeUntilStopped('second');
    await waitFor(() => second.accepted.length >= 200, {
      timeoutMs: 60_000,
      intervalMs: 20,
      description: 'more offline writes',
    });
    await second.stop();
    await ship.kill9();
    const accepted = [...first.accepted, ...second.accepted];

    // 3. The link is there: kill -9 mid-flush, as soon as the master has part of the backlog.
    ship = at('ship-online', base);
    await ship.start();
    await waitFor(() => master!.changes.length > 0, {
      timeoutMs: 60_000,
      intervalMs: 5,
      description: 'the flush under way',
    });
    await ship.kill9();
    const atKill = master.changes.length;

    // 4. Restart: the flush completes; kill -9 between send and outcome, restart once more.
    await ship.start();
    await waitFor(async () => (await status()).pending === 0, {
      timeoutMs: 120_000,
      description: 'everything sent',
    });
    await waitFor(() => master!.changes.length >= accepted.length, {
      timeoutMs: 60_000,
      description: 'every accepted write at the master',
    });
    await ship.kill9(); // sent, no outcome yet
    await ship.start();

    const changes = master.changes;
    const byChange = new Map<string, ShipChangeDto>();
    const bySeq = new Map<number, string>();
    for (const change of changes) {
      const seen = byChange.get(change.changeId);
      if (seen) expect(change).toEqual(seen); // a redelivery carries the very same change
      byChange.set(change.changeId, change);
      const owner = bySeq.get(change.seq);
      if (owner) expect(owner).toBe(change.changeId); // a seq is never re-assigned
      bySeq.set(change.seq, change.changeId);
    }
    const perDocument = new Map<string, number>();
    for (const change of byChange.values()) {
      perDocument.set(change.documentId, (perDocument.get(change.documentId) ?? 0) + 1);
    }
    // Every accepted write arrived, each as exactly one change.
    for (const id of accepted) expect(perDocument.get(id)).toBe(1);
    // Writes in flight at the kill may have committed without their 201: at most one each.
    expect(byChange.size).toBeGreaterThanOrEqual(accepted.length);
    expect(byChange.size - accepted.length).toBeLessThanOrEqual(WRITERS);
    expect([...perDocument.values()].every((count) => count === 1)).toBe(true);
    expect(master.alteredRedeliveries).toEqual([]);
    expect(master.rejected).toEqual([]);
    console.log(
      `kill -9 mid-flush with ${atKill}/${byChange.size} changes at the master; ` +
        `${master.deliveries} envelope deliveries for ${master.envelopes.size} distinct envelopes`,
    );

    // 5. The master's outcomes settle every change: the queue is empty.
    await master.applyAll(byChange.values());
    await waitFor(
      async () => {
        const now = await status();
        return now.pending === 0 && now.awaitingOutcome === 0 && now.failed === 0;
      },
      { timeoutMs: 60_000, description: 'an empty queue' },
    );
    await ship.stop();
    // Three restarts and a 1,000-change flush in envelopes of 5: minutes on a busy machine.
  }, 300_000);
});
