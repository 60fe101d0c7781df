import * as path from 'node:path';
import { REPO_ROOT, runScript } from '../../../test/harness/infra';

export interface OwnPostgres {
  databaseUrl: string;
  dataDir: string;
}

/** The scripts' own variables, so the shared cluster's PG_DATA_DIR/PG_PORT are never picked up. */
function scriptEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.PG_DATA_DIR;
  delete env.PG_PORT;
  return env;
}

/**
 * A throw-away PostgreSQL cluster of the test's own (scripts/postgres/start-postgres.sh), for tests
 * that stop the database: the shared cluster must not be disturbed. Give `dataDir` of a stopped
 * cluster to start it again with its data on the same port. Always pair with stopOwnPostgres.
 */
export async function startOwnPostgres(dataDir?: string): Promise<OwnPostgres> {
  const out = await runScript(
    path.join(REPO_ROOT, 'scripts', 'postgres', 'start-postgres.sh'),
    dataDir ? [dataDir] : [],
    scriptEnv(),
  );
  if (!out.DATABASE_URL || !out.PG_DATA_DIR) {
    throw new Error(`start-postgres.sh printed an incomplete result: ${JSON.stringify(out)}`);
  }
  return { databaseUrl: out.DATABASE_URL, dataDir: out.PG_DATA_DIR };
}

/** `pg_ctl stop -m fast` (stop-postgres.sh); keepData leaves the cluster to be started again. */
export async function stopOwnPostgres(dataDir: string, { keepData = false } = {}): Promise<void> {
  await runScript(
    path.join(REPO_ROOT, 'scripts', 'postgres', 'stop-postgres.sh'),
    keepData ? [dataDir, '--keep-data'] : [dataDir],
    scriptEnv(),
  );
}
