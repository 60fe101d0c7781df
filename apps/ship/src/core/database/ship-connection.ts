import { Logger } from '@nestjs/common';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ListeningPgClient } from '@offline-sync/sync-core';
import { Pool } from 'pg';
import type { ShipDatabaseSettings } from '../config/ship-config';
import { cachedStatements } from './sqlite-statements';
import type { ShipTables } from './ship-tables';

/**
 * better-sqlite3 builds SQLite with NORMAL as the WAL default; FULL syncs every commit, so an
 * answered write survives a power loss, not only a crash of the process. (Units of work that
 * Kafka replays commit without a sync of their own: ShipDatabase, `replayable`.)
 */
export const SQLITE_SYNCHRONOUS = 'FULL';

/** SQLite's page cache when none is configured (DATABASE_CACHE_SIZE_KIB). */
export const DEFAULT_SQLITE_CACHE_KIB = 2048;

const logger = new Logger('ShipDatabase');

/** PostgreSQL connections of a ship at most (its units of work run one at a time anyway). */
const POSTGRES_POOL_SIZE = 5;

export interface ShipConnectionOptions {
  /** Every statement run, with its bound values (specs that watch the statement texts). */
  onQuery?: (sql: string, parameters: readonly unknown[]) => void;
}

/**
 * The ship's database, reached through Kysely: SQLite (a file in WAL mode: readers never block the
 * crew's writes) by default, PostgreSQL when configured; the same queries and migrations serve
 * both.
 *
 * SQLite is reached through better-sqlite3: every statement runs synchronously on the calling
 * thread. The ship's units of work run one at a time anyway (ShipDatabase), and with the
 * asynchronous sqlite3 binding each statement was a round trip through libuv's thread pool that
 * left both the database and the event loop waiting on each other; prepared statements are
 * cached per SQL text (sqlite-statements).
 */
export class ShipConnection {
  private constructor(
    readonly db: Kysely<ShipTables>,
    readonly settings: ShipDatabaseSettings,
    /** The SQLite file's own handle (null on PostgreSQL): transaction state, pragmas. */
    readonly sqlite: BetterSqlite3.Database | null,
  ) {}

  static open(settings: ShipDatabaseSettings, options: ShipConnectionOptions = {}): ShipConnection {
    const log = options.onQuery
      ? (event: LogEvent) => options.onQuery?.(event.query.sql, event.query.parameters)
      : undefined;
    if (settings.client === 'postgres') {
      // A connection the server ends (a restart, an administrator) is only dropped, whether idle
      // in the pool or handed out (ListeningPgClient); unhandled, its error would end the process.
      const pool = new Pool({
        connectionString: settings.url,
        max: POSTGRES_POOL_SIZE,
        Client: ListeningPgClient,
      });
      pool.on('error', (error) => logger.warn(`PostgreSQL connection lost: ${error.message}`));
      return new ShipConnection(
        new Kysely<ShipTables>({ dialect: new PostgresDialect({ pool }), log }),
        settings,
        null,
      );
    }
    const sqlite = openSqliteFile(settings.filename, settings.cacheSizeKib);
    return new ShipConnection(
      new Kysely<ShipTables>({
        dialect: new SqliteDialect({ database: cachedStatements(sqlite) }),
        log,
      }),
      settings,
      sqlite,
    );
  }

  get client(): ShipDatabaseSettings['client'] {
    return this.settings.client;
  }

  /** Closes the connection (SQLite: checkpoints the write-ahead log into the file). */
  async close(): Promise<void> {
    await this.db.destroy();
  }
}

function openSqliteFile(filename: string, cacheSizeKib?: number): BetterSqlite3.Database {
  if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
  // Another process holding the file (a backup, an operator's sqlite3 shell) is waited for.
  const sqlite = new BetterSqlite3(filename, { timeout: 5000 });
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${SQLITE_SYNCHRONOUS}`);
  // Negative: a size in KiB. better-sqlite3's 16 MiB cache was ~10 MB of a ship's peak RSS in the
  // ingest benchmark; 2 MiB kept its write, catch-up and bootstrap rates (the file's pages stay in
  // the OS page cache, a read away).
  sqlite.pragma(`cache_size = -${cacheSizeKib ?? DEFAULT_SQLITE_CACHE_KIB}`);
  return sqlite;
}
