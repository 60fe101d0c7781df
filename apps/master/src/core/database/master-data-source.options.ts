import type { DataSourceOptions } from 'typeorm';
import { MASTER_ENTITIES } from './master-entities';
import { MASTER_MIGRATIONS } from './master-migrations';

/** One definition for the app, the migration command and tests: never `synchronize`. */
export function masterDataSourceOptions(url: string, poolMax = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: MASTER_ENTITIES,
    migrations: MASTER_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    extra: { max: poolMax },
  };
}
