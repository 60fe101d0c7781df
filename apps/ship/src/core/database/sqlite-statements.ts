import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Prepared statements kept per SQL text on the ship's SQLite connection (statement-sizes). */
export const SQLITE_STATEMENT_CACHE_SIZE = 200;

/**
 * The SQLite connection as Kysely's SQLite dialect reaches it, with two things the dialect leaves
 * to the caller. Prepared statements are kept per SQL text, the `capacity` most recently used:
 * preparing compiles the text into a program, which for a large IN list or multi-row insert costs
 * more than running it (statement-sizes keeps the texts few). And SQLite has no boolean type:
 * true and false are bound as 1 and 0, as they are stored.
 */
export function cachedStatements(
  database: BetterSqlite3.Database,
  capacity = SQLITE_STATEMENT_CACHE_SIZE,
): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepared = (text: string): BetterSqlite3.Statement => {
    const cached = cache.get(text);
    if (cached) {
      // Most recently used last: the first key is the one to drop.
      cache.delete(text);
      cache.set(text, cached);
      return cached;
    }
    const statement = database.prepare(text);
    cache.set(text, statement);
    if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
    return statement;
  };
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare: (text: string): SqliteStatement => {
      const statement = prepared(text);
      return {
        reader: statement.reader,
        all: (parameters) => statement.all(bindable(parameters)),
        run: (parameters) => statement.run(bindable(parameters)),
        iterate: (parameters) => statement.iterate(bindable(parameters)),
      };
    },
  };
}

/** The values as better-sqlite3 binds them: booleans as 1 and 0. */
function bindable(parameters: ReadonlyArray<unknown>): unknown[] {
  let copy: unknown[] | null = null;
  for (let i = 0; i < parameters.length; i++) {
    const value = parameters[i];
    if (typeof value === 'boolean') {
      copy ??= [...parameters];
      copy[i] = value ? 1 : 0;
    }
  }
  return copy ?? (parameters as unknown[]);
}
