import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShipConnection } from './ship-connection';

/** The ship's SQLite file as the app opens it: an answered write must survive a power loss. */
describe('ShipConnection (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ship-db-options-'));
  let connection: ShipConnection;
  const pragma = (name: string): unknown => connection.sqlite?.pragma(name);

  beforeAll(() => {
    connection = ShipConnection.open({
      client: 'sqlite',
      filename: join(dir, 'ship.db'),
      cacheSizeKib: 3000,
    });
  });

  afterAll(async () => {
    await connection.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens the file in WAL mode, syncing every commit (synchronous=FULL)', () => {
    expect(pragma('journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    expect(pragma('synchronous')).toEqual([{ synchronous: 2 }]);
  });

  it("sizes the page cache as configured (KiB), not better-sqlite3's 16 MiB", () => {
    expect(pragma('cache_size')).toEqual([{ cache_size: -3000 }]);
  });
});
