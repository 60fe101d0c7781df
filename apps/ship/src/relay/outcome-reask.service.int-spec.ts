import { createPublicKey } from 'node:crypto';
import { KeyRing, loadPrivateKey, MessageKind, verifyEnvelope } from '@offline-sync/sync-core';
import { ConnectivityService } from '../connectivity/connectivity.service';
import type { ShipClock } from '../core/clock/ship-clock';
import { ShipConfig } from '../core/config/ship-config';
import { ShipDatabase } from '../core/database/ship-database.service';
import type { ShipMetrics } from '../metrics/ship-metrics.service';
import { OutboxChangesRepository } from '../outbox/outbox-changes.repository';
import type { OutboxChange } from '../outbox/sync-queue.table';
import { changeOf } from '../testing/ship-row-fixtures';
import { openShipTestDatabase, type ShipTestDatabase } from '../testing/ship-test-database';
import { shipRows } from '../testing/ship-rows';
import { createTestKeys, shipEnv } from '../testing/ship-test-kit';
import { EnvelopesRepository } from './envelopes.repository';
import { OutcomeReaskService } from './outcome-reask.service';

const TIMEOUT_MS = 60_000;
const T0 = Date.parse('2026-06-01T12:00:00.000Z');

/**
 * Asking again for outcomes (docs/protocol.md, "Guarantees") on the ship's real schema, SQLite
 * and PostgreSQL: which changes are due, what goes on the wire, and the backoff between asks.
 */
describe.each(['sqlite', 'postgres'] as const)('OutcomeReaskService on %s', (client) => {
  const keys = createTestKeys();
  const shipPrivate = loadPrivateKey(keys.shipPrivate);
  let db: ShipTestDatabase;
  let reask: OutcomeReaskService;
  let link: { state: string; since: string | null };

  beforeEach(async () => {
    db = await openShipTestDatabase(client, 'outcome_reask');
    const config = ShipConfig.fromEnv(
      shipEnv(keys, ['127.0.0.1:9'], {
        SYNC_OUTCOME_TIMEOUT: String(TIMEOUT_MS),
        SYNC_BATCH_SIZE: '2',
      }),
    );
    link = { state: 'online', since: new Date(T0 - 10 * TIMEOUT_MS).toISOString() };
    reask = new OutcomeReaskService(
      config,
      new ShipDatabase(db.connection),
      { current: () => link } as unknown as ConnectivityService,
      { nowIso: () => new Date(T0).toISOString() } as unknown as ShipClock,
      { messages: { inc: () => undefined } } as unknown as ShipMetrics,
      new OutboxChangesRepository(),
      new EnvelopesRepository(),
      shipPrivate,
    );
  });

  afterEach(async () => {
    await db.close();
  });

  async function seed(
    rows: Array<{ n: number; status: OutboxChange['status']; sentMsAgo: number }>,
  ) {
    for (const { n, status, sentMsAgo } of rows) {
      await shipRows.insertChanges(db.db, [
        {
          ...changeOf(n, status),
          documentId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
          sentAt: new Date(T0 - sentMsAgo).toISOString(),
        },
      ]);
    }
  }

  const statuses = async () =>
    (await shipRows.changes(db.db)).map((r) => `${r.seq}:${r.status}:${r.reasked}`);

  it('asks again, exactly as sent, about the changes sent longer ago than the timeout', async () => {
    await seed([
      { n: 1, status: 'sent', sentMsAgo: 2 * TIMEOUT_MS },
      { n: 2, status: 'applied', sentMsAgo: 2 * TIMEOUT_MS },
      { n: 3, status: 'sent', sentMsAgo: TIMEOUT_MS / 2 },
      { n: 4, status: 'sent', sentMsAgo: TIMEOUT_MS + 1 },
      { n: 5, status: 'sent', sentMsAgo: 3 * TIMEOUT_MS },
    ]);
    expect(await reask.sealDue(T0)).toBe(3);
    expect(await statuses()).toEqual([
      '1:sending:1',
      '2:applied:0',
      '3:sent:0',
      '4:sending:1',
      '5:sending:1',
    ]);
    const envelopes = await shipRows.envelopes(db.db);
    // SYNC_BATCH_SIZE 2: two envelopes, seq order kept, the very changes as queued.
    expect(envelopes.map((e) => [e.firstSeq, e.lastSeq, e.status])).toEqual([
      [1, 4, 'pending'],
      [5, 5, 'pending'],
    ]);
    const ring = KeyRing.fromEntries([['ship-test', createPublicKey(shipPrivate)]]);
    const verdict = verifyEnvelope(JSON.parse(envelopes[0].body), ring);
    expect(verdict.ok && verdict.envelope.kind === MessageKind.ShipChanges).toBe(true);
    if (verdict.ok && verdict.envelope.kind === MessageKind.ShipChanges) {
      expect(verdict.envelope.payload.changes.map((c) => [c.seq, c.changeId, c.fields])).toEqual([
        [1, changeOf(1, 'sent').changeId, { n: 1 }],
        [4, changeOf(4, 'sent').changeId, { n: 4 }],
      ]);
    }
  });

  it('waits twice as long before each next ask', async () => {
    await seed([{ n: 1, status: 'sent', sentMsAgo: 2 * TIMEOUT_MS }]);
    expect(await reask.sealDue(T0)).toBe(1);
    // The re-ask went out at `at` and no answer came: it is asked about k times by then.
    const sentAgainAt = (at: number) =>
      db.db
        .updateTable('sync_queue')
        .set({ status: 'sent', sent_at: new Date(at).toISOString() })
        .where('seq', '=', 1)
        .execute();
    const S1 = T0 + TIMEOUT_MS;
    await sentAgainAt(S1);
    expect(await reask.sealDue(S1 + 1.5 * TIMEOUT_MS)).toBe(0);
    expect(await reask.sealDue(S1 + 2.5 * TIMEOUT_MS)).toBe(1);
    const S2 = S1 + 3 * TIMEOUT_MS;
    await sentAgainAt(S2);
    expect(await reask.sealDue(S2 + 3 * TIMEOUT_MS)).toBe(0);
    expect(await reask.sealDue(S2 + 4.5 * TIMEOUT_MS)).toBe(1);
    expect(await statuses()).toEqual(['1:sending:3']);
  });

  it('asks nothing while the link is down, or up for less than the timeout', async () => {
    await seed([{ n: 1, status: 'sent', sentMsAgo: 30 * TIMEOUT_MS }]);
    link = { state: 'offline', since: new Date(T0 - 20 * TIMEOUT_MS).toISOString() };
    expect(await reask.sealDue(T0)).toBe(0);
    link = { state: 'online', since: new Date(T0 - TIMEOUT_MS / 2).toISOString() };
    expect(await reask.sealDue(T0 + 1)).toBe(0);
    expect(await reask.sealDue(T0 + TIMEOUT_MS)).toBe(1);
  });
});
