import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createTestDatabase, dropTestDatabase } from '../../../../test/harness/test-infra';
import { shipDataSourceOptions } from '../core/database/ship-data-source.options';

export interface ShipTestDatabase {
  dataSource: DataSource;
  /** Closes the connection and removes the file or drops the database. */
  close: () => Promise<void>;
}

/**
 * An initialised ship data source on a database of its own: a SQLite file under a temp dir
 * (1 MiB page cache) or a fresh PostgreSQL database on the test cluster, both with the ship's
 * options, so a spec can run the same cases on either.
 */
export async function openShipTestDatabase(
  client: 'sqlite' | 'postgres',
  name: string,
): Promise<ShipTestDatabase> {
  let dir: string | undefined;
  let url: string | undefined;
  if (client === 'sqlite') {
    dir = mkdtempSync(join(tmpdir(), `${name.replace(/_/g, '-')}-`));
  } else {
    url = await createTestDatabase(name);
  }
  const dataSource = new DataSource(
    dir !== undefined
      ? shipDataSourceOptions({
          client: 'sqlite',
          filename: join(dir, 'ship.db'),
          cacheSizeKib: 1024,
        })
      : shipDataSourceOptions({ client: 'postgres', url: url as string }),
  );
  await dataSource.initialize();
  return {
    dataSource,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      if (dir) rmSync(dir, { recursive: true, force: true });
      if (url) await dropTestDatabase(url);
    },
  };
}
