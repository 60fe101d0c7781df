import type { DataSourceOptions } from 'typeorm';
import { ListeningPgClient } from '@offline-sync/sync-core';
import { MASTER_MIGRATIONS } from './master-migrations';

/** The entity classes the master maps (MASTER_ENTITIES, listed by the app). */
export type MasterEntities = NonNullable<DataSourceOptions['entities']>;

/** One definition for the app, the migration command and tests: never `synchronize`. */
export function masterDataSourceOptions(
  url: string,
  entities: MasterEntities,
  poolMax = 10,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations: MASTER_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // node-pg's pool makes its connections with the class it is given (see ListeningPgClient).
    extra: { max: poolMax, Client: ListeningPgClient },
  };
}
