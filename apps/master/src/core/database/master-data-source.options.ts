import type { DataSourceOptions } from 'typeorm';
import { ListeningPgClient } from './listening-pg-client';
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
    // node-pg's pool makes its connections with the class it is given (see ListeningPgClient).
    extra: { max: poolMax, Client: ListeningPgClient },
  };
}
