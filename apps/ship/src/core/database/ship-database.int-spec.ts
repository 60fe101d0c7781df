import { DataSource } from 'typeorm';
import { openShipTestDatabase, type ShipTestDatabase } from '../../testing/ship-test-database';
import { ShipDatabase } from './ship-database.service';

/**
 * Durable units of work are synced at commit; replayable ones (Kafka redelivers them) are not,
 * and the connection is back to syncing for whatever comes next, whether the work committed or
 * failed.
 */
describe.each(['sqlite', 'postgres'] as const)('ShipDatabase durability (%s)', (client) => {
  let database: ShipTestDatabase;
  let dataSource: DataSource;
  let db: ShipDatabase;

  /** SQLite: PRAGMA synchronous (2 = FULL, 1 = NORMAL); PostgreSQL: synchronous_commit. */
  const syncSetting = async (runner: { query: DataSource['query'] }): Promise<string> => {
    if (client === 'sqlite') {
      const rows = await runner.query<{ synchronous: number }[]>('PRAGMA synchronous');
      return rows[0].synchronous === 2 ? 'synced' : 'not synced';
    }
    const rows = await runner.query<{ synchronous_commit: string }[]>('SHOW synchronous_commit');
    return rows[0].synchronous_commit === 'off' ? 'not synced' : 'synced';
  };
  const count = async (): Promise<number> =>
    Number(
      (await dataSource.query<{ n: unknown }[]>('SELECT COUNT(*) AS n FROM durability_probe'))[0].n,
    );

  beforeAll(async () => {
    database = await openShipTestDatabase(client, 'ship_durability');
    dataSource = database.dataSource;
    await dataSource.query('CREATE TABLE durability_probe (n integer NOT NULL)');
    db = new ShipDatabase(dataSource);
  });

  afterAll(() => database?.close());

  it('syncs a durable commit', async () => {
    const during = await db.transaction(async (manager) => {
      await manager.query('INSERT INTO durability_probe (n) VALUES (1)');
      return syncSetting(manager);
    });
    expect(during).toBe('synced');
    expect(await count()).toBe(1);
  });

  it('commits replayable work without a sync of its own, then syncs again', async () => {
    const during = await db.transaction(async (manager) => {
      await manager.query('INSERT INTO durability_probe (n) VALUES (2)');
      return syncSetting(manager);
    }, 'replayable');
    expect(during).toBe('not synced');
    expect(await count()).toBe(2);
    expect(await db.transaction((manager) => syncSetting(manager))).toBe('synced');
    expect(await syncSetting(dataSource)).toBe('synced');
  });

  it('rolls failed replayable work back and syncs again afterwards', async () => {
    await expect(
      db.transaction(async (manager) => {
        await manager.query('INSERT INTO durability_probe (n) VALUES (3)');
        throw new Error('malformed batch');
      }, 'replayable'),
    ).rejects.toThrow('malformed batch');
    expect(await count()).toBe(2);
    expect(await db.transaction((manager) => syncSetting(manager))).toBe('synced');
  });
});
