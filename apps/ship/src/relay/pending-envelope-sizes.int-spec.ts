import { DataSource } from 'typeorm';
import { insertRows } from '../core/database/insert-rows';
import { openShipTestDatabase, type ShipTestDatabase } from '../testing/ship-test-database';
import { OutboxEnvelopeEntity, type EnvelopeStatus } from './entities/outbox-envelope.entity';
import { pendingEnvelopeSizes } from './pending-envelope-sizes';

const envelopeOf = (n: number, status: EnvelopeStatus): OutboxEnvelopeEntity =>
  Object.assign(new OutboxEnvelopeEntity(), {
    messageId: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    firstSeq: n * 10,
    lastSeq: n * 10 + 9,
    changeCount: 10,
    body: 'x'.repeat(100 + n),
    status,
    attempts: 0,
    lastError: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    sentAt: null,
  });

/** The relay's head of line by size, on the ship's schema, on both of its databases. */
describe.each(['sqlite', 'postgres'] as const)('pendingEnvelopeSizes (%s)', (client) => {
  let database: ShipTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await openShipTestDatabase(client, 'ship_pending_envelopes');
    dataSource = database.dataSource;
    await dataSource.runMigrations();
    // Inserted out of seq order; 3 is sent, 6 failed.
    const statuses: EnvelopeStatus[] = [
      'pending',
      'pending',
      'sent',
      'pending',
      'pending',
      'failed',
    ];
    const rows = [4, 1, 2, 6, 3, 5].map((n) => envelopeOf(n, statuses[n - 1]));
    await insertRows(dataSource.manager, OutboxEnvelopeEntity, rows, { rowsPerStatement: 8 });
  });

  afterAll(() => database?.close());

  const ids = (...ns: number[]) =>
    ns.map((n) => ({ messageId: envelopeOf(n, 'pending').messageId, bytes: 100 + n }));

  it('lists pending envelopes by size in seq order, behind `after`, at most `limit`', async () => {
    const { manager } = dataSource;
    expect(await pendingEnvelopeSizes(manager, null, 10)).toEqual(ids(1, 2, 4, 5));
    expect(await pendingEnvelopeSizes(manager, null, 2)).toEqual(ids(1, 2));
    expect(await pendingEnvelopeSizes(manager, 10, 10)).toEqual(ids(2, 4, 5));
    expect(await pendingEnvelopeSizes(manager, 20, 1)).toEqual(ids(4));
    expect(await pendingEnvelopeSizes(manager, 50, 10)).toEqual([]);
  });

  it('binds every value, so one statement text serves every position and limit', async () => {
    const query = jest.spyOn(dataSource.manager, 'query');
    await pendingEnvelopeSizes(dataSource.manager, 10, 3);
    await pendingEnvelopeSizes(dataSource.manager, 40, 7);
    const [first, second] = query.mock.calls.map(([sql]) => String(sql));
    query.mockRestore();
    expect(second).toBe(first);
    expect(first.replace(/\$\d+/g, '')).not.toMatch(/\d/);
  });
});
