import { CompiledQuery } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, dropTestDatabase } from '../../../../test/harness/test-infra';
import type { ShipDatabaseSettings } from '../core/config/ship-config';
import { ShipConnection, type ShipConnectionOptions } from '../core/database/ship-connection';
import { migrateShipDatabase } from '../core/database/ship-migrations';
import type { ShipDb } from '../core/database/ship-tables';

export interface ShipTestDatabase {
  connection: ShipConnection;
  /** The connection's query builder, for a spec's own reads and writes. */
  db: ShipDb;
  /** Closes the connection and removes the file or drops the database. */
  close: () => Promise<void>;
}

/**
 * A migrated ship database of its own: a SQLite file under a temp dir (1 MiB page cache) or a
 * fresh PostgreSQL database on the test cluster, both opened as the ship opens them, so a spec can
 * run the same cases on either.
 */
export async function openShipTestDatabase(
  client: 'sqlite' | 'postgres',
  name: string,
  options: ShipConnectionOptions = {},
): Promise<ShipTestDatabase> {
  let dir: string | undefined;
  let url: string | undefined;
  let settings: ShipDatabaseSettings;
  if (client === 'sqlite') {
    dir = mkdtempSync(join(tmpdir(), `${name.replace(/_/g, '-')}-`));
    settings = { client: 'sqlite', filename: join(dir, 'ship.db'), cacheSizeKib: 1024 };
  } else {
    url = await createTestDatabase(name);
    settings = { client: 'postgres', url };
  }
  return opened(settings, options, () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    return url ? dropTestDatabase(url) : Promise.resolve();
  });
}

/** A migrated ship database in memory (SQLite), for unit specs. */
export function openInMemoryShipDatabase(
  options: ShipConnectionOptions = {},
): Promise<ShipTestDatabase> {
  return opened({ client: 'sqlite', filename: ':memory:' }, options, () => Promise.resolve());
}

async function opened(
  settings: ShipDatabaseSettings,
  options: ShipConnectionOptions,
  remove: () => Promise<void>,
): Promise<ShipTestDatabase> {
  const connection = ShipConnection.open(settings, options);
  await migrateShipDatabase(connection);
  let closed = false;
  return {
    connection,
    db: connection.db,
    close: async () => {
      if (!closed) await connection.close();
      closed = true;
      await remove();
    },
  };
}

/** A statement written out in a spec (`?` marks on SQLite, `$n` on PostgreSQL), and its rows. */
export async function rawQuery<T = Record<string, unknown>>(
  db: ShipDb,
  text: string,
  parameters: readonly unknown[] = [],
): Promise<T[]> {
  const { rows } = await db.executeQuery<T>(CompiledQuery.raw(text, [...parameters]));
  return rows;
}
