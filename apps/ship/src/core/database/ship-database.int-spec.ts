import Database from 'better-sqlite3';
import {
  openShipTestDatabase,
  rawQuery,
  type ShipTestDatabase,
} from '../../testing/ship-test-database';
import type { ShipDb } from './ship-tables';
import { ShipDatabase } from './ship-database.service';

/**
 * Durable units of work are synced at commit; replayable ones (Kafka redelivers them) are not,
 * and the connection is back to syncing for whatever comes next, whether the work committed or
 * failed.
 */
describe.each(['sqlite', 'postgres'] as const)('ShipDatabase durability (%s)', (client) => {
  let database: ShipTestDatabase;
  let dataSource: ShipDb;
  let db: ShipDatabase;

  /** SQLite: PRAGMA synchronous (2 = FULL, 1 = NORMAL); PostgreSQL: synchronous_commit. */
  const syncSetting = async (runner: ShipDb): Promise<string> => {
    if (client === 'sqlite') {
      const rows = await rawQuery<{ synchronous: number }>(runner, 'PRAGMA synchronous');
      return rows[0].synchronous === 2 ? 'synced' : 'not synced';
    }
    const rows = await rawQuery<{ synchronous_commit: string }>(runner, 'SHOW synchronous_commit');
    return rows[0].synchronous_commit === 'off' ? 'not synced' : 'synced';
  };
  const count = async (): Promise<number> =>
    Number(
      (await rawQuery<{ n: unknown }>(dataSource, 'SELECT COUNT(*) AS n FROM durability_probe'))[0]
        .n,
    );

  beforeAll(async () => {
    database = await openShipTestDatabase(client, 'ship_durability');
    dataSource = database.db;
    await rawQuery(dataSource, 'CREATE TABLE durability_probe (n integer NOT NULL)');
    db = new ShipDatabase(database.connection);
  });

  afterAll(() => database?.close());

  it('syncs a durable commit', async () => {
    const during = await db.transaction(async (manager) => {
      await rawQuery(manager, 'INSERT INTO durability_probe (n) VALUES (1)');
      return syncSetting(manager);
    });
    expect(during).toBe('synced');
    expect(await count()).toBe(1);
  });

  it('commits replayable work without a sync of its own, then syncs again', async () => {
    const during = await db.transaction(async (manager) => {
      await rawQuery(manager, 'INSERT INTO durability_probe (n) VALUES (2)');
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
        await rawQuery(manager, 'INSERT INTO durability_probe (n) VALUES (3)');
        throw new Error('malformed batch');
      }, 'replayable'),
    ).rejects.toThrow('malformed batch');
    expect(await count()).toBe(2);
    expect(await db.transaction((manager) => syncSetting(manager))).toBe('synced');
  });
});

/**
 * A full disk makes SQLite roll the whole transaction back by itself (SQLITE_FULL). The unit of
 * work fails, and the connection must be left outside any transaction: otherwise a later failed
 * unit leaves one open, and every unit after it "commits" only inside it, lost at the next
 * restart though its caller was answered. The database shows as full until a unit writes again.
 */
describe('ShipDatabase after SQLite rolled a unit back itself (database full)', () => {
  let database: ShipTestDatabase;
  let dataSource: ShipDb;
  let db: ShipDatabase;

  beforeAll(async () => {
    database = await openShipTestDatabase('sqlite', 'ship_full_unit');
    dataSource = database.db;
    await rawQuery(dataSource, 'CREATE TABLE full_probe (n integer NOT NULL, filler text)');
    db = new ShipDatabase(database.connection);
  });

  afterAll(() => database?.close());

  /** What another connection to the file sees: only what was really committed. */
  const committed = (): number[] => {
    const file = (database.connection.settings as { filename: string }).filename;
    const other = new Database(file, { readonly: true });
    try {
      return other
        .prepare('SELECT n FROM full_probe ORDER BY n')
        .all()
        .map((row) => (row as { n: number }).n);
    } finally {
      other.close();
    }
  };

  it('fails the full unit whole, then commits what follows, after a failed unit too', async () => {
    await db.transaction((manager) => rawQuery(manager, 'INSERT INTO full_probe (n) VALUES (1)'));
    const [{ page_count: pages }] = await rawQuery<{ page_count: number }>(
      dataSource,
      'PRAGMA page_count',
    );
    await rawQuery(dataSource, `PRAGMA max_page_count = ${pages}`);

    await expect(
      db.transaction(async (manager) => {
        await rawQuery(manager, 'INSERT INTO full_probe (n) VALUES (2)');
        await rawQuery(manager, 'INSERT INTO full_probe (n, filler) VALUES (3, ?)', [
          'x'.repeat(64 * 1024),
        ]);
      }),
    ).rejects.toMatchObject({ code: 'SQLITE_FULL' });
    expect(committed()).toEqual([1]);
    expect(db.storage.full?.message).toMatch(/^database full/);

    // Room again: a unit refused for its own reasons, then ordinary ones.
    await rawQuery(dataSource, 'PRAGMA max_page_count = 1073741823');
    await expect(
      db.transaction(async (manager) => {
        await rawQuery(manager, 'INSERT INTO full_probe (n) VALUES (4)');
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    await db.read((manager) => rawQuery(manager, 'SELECT COUNT(*) FROM full_probe'));
    expect(db.storage.full).not.toBeNull(); // neither a failed unit nor a read shows room
    await db.transaction((manager) => rawQuery(manager, 'INSERT INTO full_probe (n) VALUES (5)'));
    expect(db.storage.full).toBeNull();
    await db.transaction(
      (manager) => rawQuery(manager, 'INSERT INTO full_probe (n) VALUES (6)'),
      'replayable',
    );
    expect(committed()).toEqual([1, 5, 6]);
  });
});
