import { stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sql } from 'kysely';
import type { ShipDatabaseSettings } from '../config/ship-config';
import type { ShipDb } from './ship-tables';

/** How big the ship's database is and how far it may grow, as status shows it. */
export interface DatabaseSize {
  client: 'sqlite' | 'postgres';
  /** The database itself (SQLite: pages × page size, without the write-ahead log). */
  bytes: number;
  /** SQLite: pages the file may hold (PRAGMA max_page_count); null where unknown. */
  pageLimit: number | null;
  /** pageLimit × page size; null where unknown. */
  maxBytes: number | null;
  /** SQLite: pages freed by deletes, reused before the file grows. */
  freeBytes: number | null;
  /** SQLite: the write-ahead log beside the file. */
  walBytes: number | null;
  /** Space left for an unprivileged writer on the file's filesystem. */
  diskFreeBytes: number | null;
}

/** Reads the sizes inside the caller's unit of work (a few PRAGMAs, or one function call). */
export async function measureDatabase(
  db: ShipDb,
  settings: ShipDatabaseSettings,
): Promise<DatabaseSize> {
  if (settings.client === 'postgres') {
    const { rows } = await sql<{
      bytes: string;
    }>`SELECT pg_database_size(current_database())::text AS bytes`.execute(db);
    const [row] = rows;
    return {
      client: 'postgres',
      bytes: Number(row.bytes),
      pageLimit: null,
      maxBytes: null,
      freeBytes: null,
      walBytes: null,
      diskFreeBytes: null,
    };
  }
  const pragma = async (name: string): Promise<number> => {
    const { rows } = await sql<Record<string, number>>`PRAGMA ${sql.raw(name)}`.execute(db);
    return Number(rows[0][name]);
  };
  const pageSize = await pragma('page_size');
  const pages = await pragma('page_count');
  const pageLimit = await pragma('max_page_count');
  const freePages = await pragma('freelist_count');
  const onDisk = settings.filename !== ':memory:';
  return {
    client: 'sqlite',
    bytes: pages * pageSize,
    pageLimit,
    maxBytes: pageLimit * pageSize,
    freeBytes: freePages * pageSize,
    walBytes: onDisk ? await fileSize(`${settings.filename}-wal`) : null,
    diskFreeBytes: onDisk ? await diskFree(dirname(settings.filename)) : null,
  };
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0; // no log yet (or checkpointed away)
  }
}

async function diskFree(directory: string): Promise<number | null> {
  try {
    const fs = await statfs(directory);
    return fs.bavail * fs.bsize;
  } catch {
    return null;
  }
}
