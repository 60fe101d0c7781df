import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { shipDataSourceOptions } from './ship-data-source.options';

/** The ship's SQLite file as the app opens it: an answered write must survive a power loss. */
describe('shipDataSourceOptions (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ship-db-options-'));
  let db: DataSource;

  beforeAll(async () => {
    db = new DataSource(
      shipDataSourceOptions({
        client: 'sqlite',
        filename: join(dir, 'ship.db'),
        cacheSizeKib: 3000,
      }),
    );
    await db.initialize();
  });

  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens the file in WAL mode, syncing every commit (synchronous=FULL)', async () => {
    expect(await db.query('PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(await db.query('PRAGMA synchronous')).toEqual([{ synchronous: 2 }]);
  });

  it("sizes the page cache as configured (KiB), not better-sqlite3's 16 MiB", async () => {
    expect(await db.query('PRAGMA cache_size')).toEqual([{ cache_size: -3000 }]);
  });
});
