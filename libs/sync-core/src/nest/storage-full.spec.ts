import { QueryFailedError } from 'typeorm';
import { isStorageFull } from './storage-full';

/** What better-sqlite3 throws: an Error with SQLite's result code as `code`. */
function sqliteError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'SqliteError', code });
}

/** What node-postgres throws: an Error with the SQLSTATE as `code`. */
function postgresError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isStorageFull', () => {
  it.each([
    [
      'SQLite, as the driver throws it',
      sqliteError('SQLITE_FULL', 'database or disk is full'),
      true,
    ],
    [
      'SQLite, through TypeORM',
      new QueryFailedError('INSERT', [], sqliteError('SQLITE_FULL', 'database or disk is full')),
      true,
    ],
    [
      'PostgreSQL disk_full, through TypeORM',
      new QueryFailedError('INSERT', [], postgresError('53100', 'could not extend file')),
      true,
    ],
    [
      'a cause further down',
      new Error('commit failed', { cause: sqliteError('SQLITE_FULL', 'full') }),
      true,
    ],
    ['another SQLite error', sqliteError('SQLITE_CONSTRAINT_UNIQUE', 'UNIQUE failed'), false],
    ['SQLite I/O error', sqliteError('SQLITE_IOERR', 'disk I/O error'), false],
    ['PostgreSQL out of memory', postgresError('53200', 'out of memory'), false],
    ['a plain error', new Error('database or disk is full'), false],
    ['not an error', 'SQLITE_FULL', false],
    ['nothing', undefined, false],
  ])('%s → %s', (_name, error, expected) => {
    expect(isStorageFull(error)).toBe(expected);
  });
});
