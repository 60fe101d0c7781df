import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { checkPerStatement, columnOf, entitySql } from './entity-sql';
import { inListChunks } from './statement-sizes';

export interface SelectRowsOptions<T> {
  /** Properties to read (default: every column); the others stay unset. */
  select?: readonly (keyof T & string)[];
  /** Further conditions, ANDed: the property's value is one of these. */
  where?: Partial<Record<keyof T & string, readonly unknown[]>>;
  /** Rows come back in this property's ascending order within each chunk of `values`. */
  orderBy?: keyof T & string;
  /** Values per statement (each a bound variable). */
  valuesPerStatement: number;
}

/**
 * The rows whose `property` is one of `values`: one SELECT per chunk of distinct values, run with
 * positional parameters and hydrated through the entity's metadata, values converted by the
 * driver exactly as `find` converts them (e.g. SQLite's 0/1 back to booleans). `find` with `In()`
 * builds the same statement through named parameters, looks every name up in a copy of all of
 * them and hydrates through its generic entity transformer: on the ship's hot paths (every crew
 * write, master update and outcome reads the documents it touches) that was more time than
 * SQLite spent on the reads.
 */
export async function selectRowsIn<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  property: keyof T & string,
  values: readonly unknown[],
  options: SelectRowsOptions<T>,
): Promise<T[]> {
  const { valuesPerStatement } = options;
  checkPerStatement('selectRowsIn', 'valuesPerStatement', valuesPerStatement);
  const chunks = inListChunks(values, valuesPerStatement);
  if (chunks.length === 0) return [];
  const { driver } = manager.connection;
  const { metadata, table, quote, inList } = entitySql(manager, entity);
  const named = (name: string): ColumnMetadata => columnOf('selectRowsIn', metadata, name);
  const columns = options.select ? options.select.map(named) : metadata.columns;
  const keyColumn = named(property);
  const conditions = Object.entries(options.where ?? {}).map(
    ([name, allowed]) => [named(name), allowed as readonly unknown[]] as const,
  );
  const head = `SELECT ${columns.map((c) => quote(c.databaseName)).join(', ')} FROM ${table} WHERE `;
  const order = options.orderBy ? ` ORDER BY ${quote(named(options.orderBy).databaseName)}` : '';
  const target = metadata.target;

  const rows: T[] = [];
  for (const chunk of chunks) {
    const parameters: unknown[] = [];
    const where = [
      inList(parameters, keyColumn, chunk),
      ...conditions.map(([condition, allowed]) => inList(parameters, condition, allowed)),
    ].join(' AND ');
    const raw = await manager.query<Record<string, unknown>[]>(head + where + order, parameters);
    for (const record of raw) {
      const row = (typeof target === 'function' ? new (target as new () => T)() : {}) as T;
      for (const column of columns) {
        column.setEntityValue(
          row,
          driver.prepareHydratedValue(record[column.databaseName], column) as unknown,
        );
      }
      rows.push(row);
    }
  }
  return rows;
}
