import { SyncMetaRepository } from '../core/database/sync-meta.repository';
import { openInMemoryShipDatabase, type ShipTestDatabase } from '../testing/ship-test-database';
import { InboxPositionsRepository } from './inbox-positions.repository';

/** Positions and sync_meta values on a real SQLite database (in memory) with the ship's schema. */
describe('InboxPositionsRepository.advance and SyncMetaRepository.set', () => {
  let database: ShipTestDatabase;
  const positions = new InboxPositionsRepository();
  const meta = new SyncMetaRepository();

  beforeEach(async () => {
    database = await openInMemoryShipDatabase();
  });

  afterEach(() => database.close());

  const stored = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      (await positions.load(database.db)).map((row) => [
        `${row.topic}/${row.partition}`,
        row.offset,
      ]),
    );

  it('stores the offset after the last one applied, per topic and partition', async () => {
    await positions.advance(database.db, 'master-updates', 0, '41');
    await positions.advance(database.db, 'master-updates', 1, '7');
    await positions.advance(database.db, 'master-updates', 0, '99');
    expect(await stored()).toEqual({ 'master-updates/0': '100', 'master-updates/1': '8' });
  });

  it('never moves backwards, comparing offsets as numbers (not text)', async () => {
    await positions.advance(database.db, 'master-updates', 0, '99');
    await positions.advance(database.db, 'master-updates', 0, '8');
    await positions.advance(database.db, 'master-updates', 0, '999');
    await positions.advance(database.db, 'master-updates', 0, '100');
    expect(await stored()).toEqual({ 'master-updates/0': '1000' });
  });

  it('keeps offsets past 2^53 exact', async () => {
    await positions.advance(database.db, 't', 0, '9007199254740993');
    await positions.advance(database.db, 't', 0, '9007199254740992');
    expect(await stored()).toEqual({ 't/0': '9007199254740994' });
  });

  it('sets a sync_meta value, replacing the one before', async () => {
    await meta.set(database.db, 'last_seq', '5');
    await meta.set(database.db, 'last_seq', '12');
    await meta.set(database.db, 'last_pull_at', '2026-12-04T00:00:00.000Z');
    expect(await meta.getAll(database.db)).toEqual({
      last_seq: '12',
      last_pull_at: '2026-12-04T00:00:00.000Z',
    });
  });
});
