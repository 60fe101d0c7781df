import 'reflect-metadata';
import { runMain, validateEnv } from '@offline-sync/sync-core';
import { DataSource } from 'typeorm';
import { MigrateEnv } from './core/database/migrate.env';
import { masterDataSourceOptions } from './core/database/master-data-source.options';
import { runMigrations } from './core/database/run-migrations';
import { MASTER_ENTITIES } from './master-entities';

/** One JSON log line, like the app's (pino) lines. */
function log(level: 'info' | 'error', msg: string, extra: Record<string, unknown> = {}): void {
  const line = { level, time: Date.now(), app: 'master', node: 'migrate', msg, ...extra };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/**
 * `node dist/apps/master/apps/master/src/migrate.js` (`npm run migrate`): applies pending
 * migrations and exits — the deploy-time step (Helm pre-install/pre-upgrade Job). It takes the
 * same advisory lock as a starting master, so the two never run a migration twice. Exit status 0
 * when the schema is current, 1 otherwise.
 */
runMain(async () => {
  const env = validateEnv(MigrateEnv, process.env);
  const dataSource = new DataSource(masterDataSourceOptions(env.DATABASE_URL, MASTER_ENTITIES, 2));
  const startedAt = Date.now();
  await dataSource.initialize();
  try {
    const applied = await runMigrations(dataSource);
    const pending = await dataSource.showMigrations();
    if (pending) throw new Error('migrations are still pending after the run');
    log('info', applied.length > 0 ? 'Migrations applied' : 'Schema already current', {
      applied,
      durationMs: Date.now() - startedAt,
    });
  } finally {
    await dataSource.destroy();
  }
});
