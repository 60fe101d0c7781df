import type { DataSource } from 'typeorm';

/** Arbitrary constant: the advisory lock that serialises migrations across replicas. */
const MIGRATION_LOCK_ID = 727_001;

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so replicas starting together (or
 * a deploy-time migration job racing a replica) never run the same migration twice.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}
