import type { INestApplication } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../../test/harness/infra';
import { kafkaBrokers, waitFor } from '../../../../test/harness/test-infra';
import { ShipConfig } from '../core/config/ship-config';
import {
  api,
  createShipTopics,
  createTestKeys,
  shipEnv,
  startShip,
} from '../testing/ship-test-kit';

type HealthBody = {
  status: string;
  error?: Record<string, { status: string; message?: string }>;
  details: Record<string, { status: string }>;
};

const START = join(REPO_ROOT, 'scripts', 'postgres', 'start-postgres.sh');
const STOP = join(REPO_ROOT, 'scripts', 'postgres', 'stop-postgres.sh');

/** Starts (or restarts, same data and port) the test's own cluster; returns its URL. */
function startCluster(dir: string): string {
  const out = execFileSync('bash', [START, dir], { encoding: 'utf8' });
  const url = /^DATABASE_URL=(.+)$/m.exec(out)?.[1];
  if (!url) throw new Error(`start-postgres.sh printed no DATABASE_URL:\n${out}`);
  return url;
}

/**
 * Readiness follows the ship's own database: a ship on PostgreSQL goes red (503, naming the
 * database) while its cluster is stopped and green again when it is back on the same port,
 * without a restart of the ship. The cluster is the test's own (never the shared one), stopped
 * with pg_ctl (stop-postgres.sh --keep-data) and restarted with its data.
 */
describe('ship readiness follows its database (own PostgreSQL cluster)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ship-ready-pg-'));
  let app: INestApplication | undefined;

  afterAll(async () => {
    await app?.close().catch(() => undefined);
    execFileSync('bash', [STOP, dir], { stdio: 'ignore' });
  });

  const ready = async () => {
    const response = await api(app!, null).get('/api/offline-sync/health/ready');
    return { status: response.status, body: response.body as HealthBody };
  };

  it('is 503 naming the database while it is stopped, 200 once it is back', async () => {
    const url = startCluster(dir);
    const env = shipEnv(createTestKeys(), kafkaBrokers(), {
      SYNC_SHIP_ID: 'ship-pg-ready',
      DATABASE_CLIENT: 'postgres',
      DATABASE_URL: url,
    });
    await createShipTopics(ShipConfig.fromEnv(env), kafkaBrokers());
    app = await startShip(env);
    const up = await ready();
    expect(up.status).toBe(200);
    expect(up.body.details).toMatchObject({
      database: { status: 'up' },
      migrations: { status: 'up' },
    });
    await api(app)
      .post('/api/content/note')
      .send({ data: { text: 'before' } })
      .expect(201);

    // The cluster stops: readiness goes red and says why; liveness stays green.
    execFileSync('bash', [STOP, dir, '--keep-data'], { stdio: 'ignore' });
    await waitFor(async () => (await ready()).status === 503, {
      timeoutMs: 30_000,
      description: 'readiness red',
    });
    const down = await ready();
    expect(down.body.status).toBe('error');
    expect(Object.keys(down.body.error ?? {})).toContain('database');
    expect(down.body.error?.database.status).toBe('down');
    await api(app, null).get('/api/offline-sync/health/live').expect(200);

    // Back on the same port: green again, and the ship writes as before.
    expect(startCluster(dir)).toBe(url);
    await waitFor(async () => (await ready()).status === 200, {
      timeoutMs: 30_000,
      description: 'readiness green again',
    });
    expect((await ready()).body.details).toMatchObject({ database: { status: 'up' } });
    await waitFor(
      async () =>
        (
          await api(app!)
            .post('/api/content/note')
            .send({ data: { text: 'after' } })
        ).status === 201,
      { timeoutMs: 30_000, description: 'a write after the database returned' },
    );
  });
});
