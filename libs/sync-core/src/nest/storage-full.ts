/**
 * "No room left to write", as the databases say it: SQLite's SQLITE_FULL (a full disk, or the
 * file at its `max_page_count`) through better-sqlite3, and PostgreSQL's `disk_full` (53100).
 */
const STORAGE_FULL_CODES: ReadonlySet<string> = new Set(['SQLITE_FULL', '53100']);

/** The answer to a request that a full database refused (HTTP 507). */
export const STORAGE_FULL_MESSAGE =
  'The database is full: nothing of this request was written. Writes resume as soon as there ' +
  'is room again (free disk space, or raise the database size limit).';

/**
 * Whether `error` is a database refusing a write for want of space. TypeORM's QueryFailedError
 * copies the driver error's `code` and keeps the driver error itself (`driverError`); both are
 * looked at, and a `cause` chain a few levels deep.
 */
export function isStorageFull(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const { code, driverError, cause } = current as {
      code?: unknown;
      driverError?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string' && STORAGE_FULL_CODES.has(code)) return true;
    current = driverError ?? cause;
  }
  return false;
}
