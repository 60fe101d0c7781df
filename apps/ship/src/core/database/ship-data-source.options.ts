import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { ShipDatabaseSettings } from '../config/ship-config';
import { SHIP_ENTITIES } from './ship-entities';
import { SHIP_MIGRATIONS } from './ship-migrations';

/**
 * better-sqlite3 builds SQLite with NORMAL as the WAL default; FULL syncs every commit, so an
 * answered write survives a power loss, not only a crash of the process. (Units of work that
 * Kafka replays commit without a sync of their own: ShipDatabase, `replayable`.)
 */
export const SQLITE_SYNCHRONOUS = 'FULL';

/** SQLite's page cache when none is configured (DATABASE_CACHE_SIZE_KIB). */
export const DEFAULT_SQLITE_CACHE_KIB = 2048;

/**
 * SQLite (a file in WAL mode: readers never block the crew's writes) by default, PostgreSQL when
 * configured; the same entities and migrations serve both. Never `synchronize`.
 *
 * SQLite is reached through better-sqlite3: every statement runs synchronously on the calling
 * thread. The ship's units of work run one at a time anyway (ShipDatabase), and with the
 * asynchronous sqlite3 binding each statement was a round trip through libuv's thread pool that
 * left both the database and the event loop waiting on each other; prepared statements are
 * cached per SQL text.
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
    type: 'better-sqlite3',
    database: settings.filename,
    enableWAL: true,
    // Another process holding the file (a backup, an operator's sqlite3 shell) is waited for.
    timeout: 5000,
    statementCacheSize: 200,
    prepareDatabase: (db: { pragma(source: string): unknown }) => {
      db.pragma(`synchronous = ${SQLITE_SYNCHRONOUS}`);
      // Negative: a size in KiB. better-sqlite3's 16 MiB cache was ~10 MB of a ship's peak RSS in
      // the ingest benchmark; 2 MiB kept its write, catch-up and bootstrap rates (the file's pages
      // stay in the OS page cache, a read away).
      db.pragma(`cache_size = -${settings.cacheSizeKib ?? DEFAULT_SQLITE_CACHE_KIB}`);
    },
  };
}
