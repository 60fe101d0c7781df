import { Migrator, type Migration } from 'kysely';
import type { ShipDatabaseSettings } from '../config/ship-config';
import { shipSchemaMigration } from './migrations/1732400000000-ship-schema';
import { outcomeReasksMigration } from './migrations/1733000000000-outcome-reasks';
import type { ShipConnection } from './ship-connection';
import { errorMessage } from '@offline-sync/sync-core';

/** Every migration of the ship database, by name, in order. */
export function shipMigrations(client: ShipDatabaseSettings['client']): Record<string, Migration> {
  return {
    '1732400000000-ship-schema': shipSchemaMigration(client),
    '1733000000000-outcome-reasks': outcomeReasksMigration,
  };
}

function migrator(connection: ShipConnection): Migrator {
  const migrations = shipMigrations(connection.client);
  return new Migrator({
    db: connection.db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: 'ship_migrations',
    migrationLockTableName: 'ship_migrations_lock',
  });
}

/**
 * Runs the migrations this database has not had yet, each in order. A ship has one instance on its
 * own database: they simply run at start-up, before anything else reaches the database.
 */
export async function migrateShipDatabase(connection: ShipConnection): Promise<void> {
  const { error, results } = await migrator(connection).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    const detail = errorMessage(error);
    throw new Error(`Ship database migration ${failed ?? ''} failed: ${detail}`, {
      cause: error,
    });
  }
}

/** Names of the migrations the build knows that have not run on this database. */
export async function pendingShipMigrations(connection: ShipConnection): Promise<string[]> {
  const migrations = await migrator(connection).getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
