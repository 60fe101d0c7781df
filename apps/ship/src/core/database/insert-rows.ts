import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { checkPerStatement, entitySql } from './entity-sql';
import { statementChunks } from './statement-sizes';

export interface InsertRowsOptions {
  /**
   * On a clash of these columns (database names), the existing row gets `update` instead; with
   * no `update` columns the new row is dropped (DO NOTHING).
   */
  conflict?: { columns: string[]; update: string[] };
  /**
   * Rows per statement at most (all columns bound for each: stay under the driver's variable
   * limit); fewer rows go in chunks of a power of two.
   */
  rowsPerStatement: number;
}

/**
 * Texts of the statements insertRows ran, by their head and tail and row count: a text depends
 * only on those (chunk sizes are few, statement-sizes), and the same string each time is also a
 * cheaper key for the driver's statement cache than a text built anew for every chunk.
 */
const statementTexts = new Map<string, string>();
/** More distinct texts than this means something else varies: stop remembering new ones. */
const MAX_STATEMENT_TEXTS = 256;

/**
 * Multi-row INSERT (… ON CONFLICT … DO UPDATE) built from the entity's metadata and run with
 * positional parameters. TypeORM's query builder names every value and looks each name up in a
 * copy of all of them, which grows with the square of the row count: at a few hundred rows per
 * statement that lookup cost more than the database work. Values are converted by the driver
 * exactly as the query builder would (e.g. booleans for SQLite). Columns the database generates
 * (ids) are left out.
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: readonly T[],
  options: InsertRowsOptions,
): Promise<void> {
  checkPerStatement('insertRows', 'rowsPerStatement', options.rowsPerStatement);
  if (rows.length === 0) return;
  const { metadata, table, quote, convert, mark } = entitySql(manager, entity);
  const columns = metadata.columns.filter((column) => !column.isGenerated);
  const head = `INSERT INTO ${table} (${columns
    .map((column) => quote(column.databaseName))
    .join(', ')}) VALUES `;
  const { conflict } = options;
  const onConflict = (clash: NonNullable<InsertRowsOptions['conflict']>): string =>
    ` ON CONFLICT (${clash.columns.map(quote).join(', ')}) ` +
    (clash.update.length === 0
      ? 'DO NOTHING'
      : `DO UPDATE SET ${clash.update
          .map((name) => `${quote(name)} = excluded.${quote(name)}`)
          .join(', ')}`);
  const tail = conflict ? onConflict(conflict) : '';
  const textOf = (rowCount: number): string => {
    // The first mark tells SQLite's texts from PostgreSQL's (`?` or `$1`).
    const key = `${rowCount} ${mark(1)} ${head}${tail}`;
    let text = statementTexts.get(key);
    if (text === undefined) {
      const tuples: string[] = [];
      for (let row = 0; row < rowCount; row++) {
        const marks = columns.map((_, i) => mark(row * columns.length + i + 1));
        tuples.push(`(${marks.join(', ')})`);
      }
      text = head + tuples.join(', ') + tail;
      if (statementTexts.size < MAX_STATEMENT_TEXTS) statementTexts.set(key, text);
    }
    return text;
  };
  // Chunks of a few sizes only, so that their statements stay in the cache (statement-sizes).
  for (const chunk of statementChunks(rows, options.rowsPerStatement)) {
    const parameters: unknown[] = [];
    for (const row of chunk) {
      for (const column of columns) {
        const value: unknown = column.getEntityValue(row);
        if (value === undefined) {
          // A column left out would become NULL here, not its default: callers give every value.
          throw new TypeError(
            `insertRows: no value for ${metadata.tableName}.${column.databaseName}`,
          );
        }
        parameters.push(convert(value, column));
      }
    }
    await manager.query(textOf(chunk.length), parameters);
  }
}
