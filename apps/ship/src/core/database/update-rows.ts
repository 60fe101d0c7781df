import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { checkPerStatement, columnOf, entitySql } from './entity-sql';
import { inListChunks } from './statement-sizes';

/**
 * UPDATE … SET `set` WHERE `property` IN (`values`): one statement per chunk of values, every
 * value bound, values converted by the driver as `update` converts them. TypeORM's SQLite driver
 * writes numbers into the statement's text instead (`outcome_version = 3`), so `update` makes a
 * statement of its own for every distinct number, each prepared anew and kept in the statement
 * cache: settling a 100,000-change backlog prepared ~400 of them, with IN lists of hundreds of
 * ids (statement-sizes). Here the text depends only on the columns set and the list's size.
 */
export async function updateRowsIn<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  property: keyof T & string,
  values: readonly unknown[],
  set: Partial<T>,
  options: { valuesPerStatement: number },
): Promise<void> {
  const { valuesPerStatement } = options;
  checkPerStatement('updateRowsIn', 'valuesPerStatement', valuesPerStatement);
  const chunks = inListChunks(values, valuesPerStatement);
  const assigned = Object.entries(set).filter(([, value]) => value !== undefined);
  if (chunks.length === 0 || assigned.length === 0) return;
  const { metadata, table, quote, bind, inList } = entitySql(manager, entity);
  const keyColumn = columnOf('updateRowsIn', metadata, property);
  const columns = assigned.map(
    ([name, value]) => [columnOf('updateRowsIn', metadata, name), value as unknown] as const,
  );
  for (const chunk of chunks) {
    const parameters: unknown[] = [];
    const assignments = columns.map(
      ([column, value]) => `${quote(column.databaseName)} = ${bind(parameters, value, column)}`,
    );
    const where = inList(parameters, keyColumn, chunk);
    await manager.query(`UPDATE ${table} SET ${assignments.join(', ')} WHERE ${where}`, parameters);
  }
}
