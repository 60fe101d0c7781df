import { openShipTestDatabase, type ShipTestDatabase } from '../testing/ship-test-database';
import { changeOf } from '../testing/ship-row-fixtures';
import { OutboxChangesRepository } from './outbox-changes.repository';
import { OUTBOX_STATUSES, UNDELIVERED_STATUSES, type OutboxStatus } from './sync-queue.table';

/** Queue counts on the ship's schema, on both of its databases. */
describe.each(['sqlite', 'postgres'] as const)('OutboxChangesRepository.counts (%s)', (client) => {
  let database: ShipTestDatabase;
  const outbox = new OutboxChangesRepository();
  // n changes of each status: 1 pending, 2 sending, ... 7 rejected.
  const expected = Object.fromEntries(OUTBOX_STATUSES.map((s, i) => [s, i + 1])) as Record<
    OutboxStatus,
    number
  >;

  beforeAll(async () => {
    database = await openShipTestDatabase(client, 'ship_outbox_counts');
    let n = 0;
    const rows = OUTBOX_STATUSES.flatMap((status, i) =>
      Array.from({ length: i + 1 }, () => changeOf(n++, status)),
    );
    await outbox.insert(database.db, rows);
  });

  afterAll(() => database?.close());

  it('counts every status, as numbers', async () => {
    expect(await outbox.counts(database.db)).toEqual(expected);
  });

  it('counts only the statuses asked for and reads 0 for the others', async () => {
    const counts = await outbox.counts(database.db, UNDELIVERED_STATUSES);
    for (const status of OUTBOX_STATUSES) {
      expect(counts[status]).toBe(UNDELIVERED_STATUSES.includes(status) ? expected[status] : 0);
    }
  });
});
