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
  const { metadata, table, quote, bind } = entitySql(manager, entity);
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
  // Chunks of a few sizes only, so that their statements stay in the cache (statement-sizes).
  for (const chunk of statementChunks(rows, options.rowsPerStatement)) {
    const parameters: unknown[] = [];
    const tuples = chunk.map((row) => {
      const marks = columns.map((column) => {
        const value: unknown = column.getEntityValue(row);
        if (value === undefined) {
          // A column left out would become NULL here, not its default: callers give every value.
          throw new TypeError(
            `insertRows: no value for ${metadata.tableName}.${column.databaseName}`,
          );
        }
        return bind(parameters, value, column);
      });
      return `(${marks.join(', ')})`;
    });
    await manager.query(head + tuples.join(', ') + tail, parameters);
  }
}
