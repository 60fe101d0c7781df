import type { INestApplication } from '@nestjs/common';
import { createMasterApp } from '../src/master.app';
import { waitFor } from '../../../test/harness/test-infra';
import { api, body, createFleet } from './master-test-kit';
import { startOwnPostgres, stopOwnPostgres, type OwnPostgres } from './own-postgres';

interface HealthBody {
  status: 'ok' | 'error';
  info?: Record<string, { status: string } & Record<string, unknown>>;
  error?: Record<string, { status: string; message?: string }>;
}

/**
 * Health probes against a database that goes away and comes back: a PostgreSQL cluster of this
 * test's own (the shared one stays up), stopped with pg_ctl and started again on the same port.
 */
describe('master health probes (real Kafka + a PostgreSQL of its own)', () => {
  let pg: OwnPostgres;
  let app: INestApplication;

  beforeAll(async () => {
    pg = await startOwnPostgres();
    app = await createMasterApp(createFleet(pg.databaseUrl, ['ship-a']).config);
    await app.init();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    if (pg) await stopOwnPostgres(pg.dataDir);
  });

  it('reports database, migrations and Kafka when ready, and the detail', async () => {
    const ready = body<HealthBody>(
      await api(app, null).get('/api/offline-sync/health/ready').expect(200),
    );
    expect(ready.status).toBe('ok');
    expect(Object.keys(ready.info ?? {}).sort()).toEqual(['database', 'kafka', 'migrations']);
    expect(ready.info?.kafka).toMatchObject({ status: 'up', brokers: 1 });

    const detail = body<HealthBody>(
      await api(app, 'viewer').get('/api/offline-sync/health').expect(200),
    );
    expect(detail.info).toMatchObject({
      database: { status: 'up' },
      kafka: { status: 'up' },
      outbox: { status: 'up', pending: 0, oldestPendingAgeMs: null },
      consumerLag: { status: 'up', total: 0 },
      ships: { status: 'up', total: 0, online: 0, lastSyncAt: null, ships: [] },
    });
  });

  it('goes red naming the database while it is gone, and green again when it returns', async () => {
    await stopOwnPostgres(pg.dataDir, { keepData: true });

    const res = await api(app, null).get('/api/offline-sync/health/ready').expect(503);
    const down = body<HealthBody>(res);
    expect(down.status).toBe('error');
    expect(down.error?.database?.status).toBe('down');
    expect(Object.keys(down.error ?? {})).toEqual(['database']);
    // Liveness never depends on the database: restarting the process would not bring it back.
    await api(app, null).get('/api/offline-sync/health/live').expect(200);

    const again = await startOwnPostgres(pg.dataDir);
    expect(again.databaseUrl).toBe(pg.databaseUrl);
    const back = await waitFor(
      async () => {
        const response = await api(app, null).get('/api/offline-sync/health/ready');
        return response.status === 200 ? body<HealthBody>(response) : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'readiness green again' },
    );
    expect(back.info?.database?.status).toBe('up');
  }, 120_000);
});
