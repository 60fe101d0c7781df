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
}

export function entitySql<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
): EntitySql {
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(entity);
  const positional = driver.options.type === 'postgres';
  const quote = (name: string): string => driver.escape(name);
  return {
    metadata,
    table: metadata.tablePath.split('.').map(quote).join('.'),
    quote,
    bind: (parameters, value, column) => {
      parameters.push(driver.preparePersistentValue(value, column));
      return positional ? `$${parameters.length}` : '?';
    },
  };
}

/** Items per statement must be a positive integer (each is bound: the caller keeps it bounded). */
export function checkPerStatement(caller: string, option: string, count: number): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`${caller}: ${option} must be a positive integer (got ${count})`);
  }
}
