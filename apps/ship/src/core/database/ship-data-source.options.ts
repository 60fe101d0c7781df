import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as sqlite3 from 'sqlite3';
import type { DataSourceOptions } from 'typeorm';
import type { ShipDatabaseSettings } from '../config/ship-config';
import { SHIP_ENTITIES } from './ship-entities';
import { SHIP_MIGRATIONS } from './ship-migrations';

/**
 * SQLite (a file in WAL mode: readers never block the crew's writes) by default, PostgreSQL when
 * configured; the same entities and migrations serve both. Never `synchronize`.
 */
export function shipDataSourceOptions(settings: ShipDatabaseSettings): DataSourceOptions {
  const common = {
    entities: SHIP_ENTITIES,
    migrations: SHIP_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
  } as const;
  if (settings.client === 'postgres') {
    return { ...common, type: 'postgres', url: settings.url, extra: { max: 5 } };
  }
  if (settings.filename !== ':memory:') mkdirSync(dirname(settings.filename), { recursive: true });
  return {
    ...common,
    type: 'sqlite',
    database: settings.filename,
    enableWAL: true,
    busyErrorRetry: 50,
    driver: plainSqlite3,
  };
}

/**
 * sqlite3 as TypeORM gets it. TypeORM calls `driver.verbose()`, which turns on sqlite3's long
 * stack traces: every call then captures an Error and `util.inspect`s its SQL and parameters. That
 * debugging aid was a large part of each crew write's CPU time; the ship's errors already name
 * the query (QueryFailedError), so it gets the plain module.
 */
const plainSqlite3 = Object.create(sqlite3, {
  verbose: { value: (): typeof sqlite3 => plainSqlite3 },
}) as typeof sqlite3;
