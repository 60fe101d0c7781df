import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** What a statement written by hand on an entity's table needs, for SQLite and PostgreSQL alike. */
export interface EntitySql {
  metadata: EntityMetadata;
  /** The table, quoted (a schema-qualified PostgreSQL `schema.table` part by part). */
  table: string;
  quote: (name: string) => string;
  /**
   * Adds `value`, converted by the driver as TypeORM converts it for `column` (e.g. booleans for
   * SQLite), to `parameters` and returns its placeholder (`$n` for PostgreSQL, `?` for SQLite).
   */
  bind: (parameters: unknown[], value: unknown, column: ColumnMetadata) => string;
  /** `value` converted by the driver for `column`, as `bind` adds it. */
  convert: (value: unknown, column: ColumnMetadata) => unknown;
  /** The placeholder of the `position`-th bound value (from 1). */
  mark: (position: number) => string;
  /**
   * `column IN (…)` with each of `values` bound (`FALSE` for none: `IN ()` is not valid SQL
   * everywhere). The caller pads the list (statement-sizes).
   */
  inList: (parameters: unknown[], column: ColumnMetadata, values: readonly unknown[]) => string;
}

export function entitySql<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
): EntitySql {
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(entity);
  const positional = driver.options.type === 'postgres';
  const quote = (name: string): string => driver.escape(name);
  const convert: EntitySql['convert'] = (value, column) =>
    driver.preparePersistentValue(value, column);
  const mark: EntitySql['mark'] = (position) => (positional ? `$${position}` : '?');
  const bind: EntitySql['bind'] = (parameters, value, column) => {
    parameters.push(convert(value, column));
    return mark(parameters.length);
  };
  return {
    metadata,
    table: metadata.tablePath.split('.').map(quote).join('.'),
    quote,
    bind,
    convert,
    mark,
    inList: (parameters, column, values) => {
      const marks = values.map((value) => bind(parameters, value, column));
      return marks.length === 0
        ? 'FALSE'
        : `${quote(column.databaseName)} IN (${marks.join(', ')})`;
    },
  };
}

/** The column of `property`, or a TypeError naming the caller. */
export function columnOf(
  caller: string,
  metadata: EntityMetadata,
  property: string,
): ColumnMetadata {
  const column = metadata.findColumnWithPropertyName(property);
  if (!column) throw new TypeError(`${caller}: ${metadata.name} has no column ${property}`);
  return column;
}

/** Items per statement must be a positive integer (each is bound: the caller keeps it bounded). */
export function checkPerStatement(caller: string, option: string, count: number): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`${caller}: ${option} must be a positive integer (got ${count})`);
  }
}
