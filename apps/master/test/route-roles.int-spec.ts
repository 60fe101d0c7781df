import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createMasterApp } from '../src/master.app';
import { createTestDatabase, dropTestDatabase } from '../../../test/harness/test-infra';
import {
  accessMatrix,
  expectedMatrix,
  registeredRoutes,
  routeCases,
  type RouteAccess,
} from '../../../test/harness/route-roles';
import { API_KEYS, createFleet } from './master-test-kit';

/**
 * The least role of every master route (docs/configuration.md, "API keys"). A route the app registers that is not
 * listed here fails the first test: every new route needs a decision.
 */
const MASTER_ROUTES: Record<string, RouteAccess> = {
  'GET /api/offline-sync/health/live': 'public',
  'GET /api/offline-sync/health/ready': 'public',
  'GET /api/offline-sync/health': 'viewer',
  'GET /api/offline-sync/metrics': 'viewer',
  'GET /api/offline-sync/health/metrics': 'viewer',
  'GET /api/offline-sync/status': 'viewer',
  'GET /api/offline-sync/checksum': 'viewer',
  'GET /api/offline-sync/queue': 'viewer',
  'GET /api/offline-sync/queue/pending': 'viewer',
  'POST /api/offline-sync/push': 'admin',
  'GET /api/offline-sync/ships': 'viewer',
  'GET /api/offline-sync/ships/:id': 'viewer',
  'GET /api/offline-sync/conflicts': 'viewer',
  'GET /api/offline-sync/conflicts/:id': 'viewer',
  'POST /api/offline-sync/conflicts/:id/resolve': 'operator',
  'POST /api/offline-sync/conflicts/resolve': 'operator',
  'POST /api/offline-sync/conflicts/:id/restore': 'operator',
  'GET /api/offline-sync/whoami': 'viewer',
  'GET /api/offline-sync/content-types': 'viewer',
  'GET /api/content/:type/:id/revisions': 'viewer',
  'GET /api/offline-sync/dead-letters': 'operator',
  'GET /api/offline-sync/dead-letters/:id': 'operator',
  'POST /api/offline-sync/dead-letters/:id/retry': 'operator',
  'GET /api/content/:type': 'viewer',
  'GET /api/content/:type/:id': 'viewer',
  'POST /api/content/:type': 'operator',
  'PATCH /api/content/:type/:id': 'operator',
  'DELETE /api/content/:type/:id': 'operator',
  // The OpenAPI documents and Swagger UI describe the API; they serve no data.
  'GET /api/docs': 'public',
  'GET /api/docs/': 'public',
  'GET /api/docs/index.html': 'public',
  'GET /api/docs/LICENSE': 'public',
  'GET /api/docs/swagger-ui-init.js': 'public',
  'GET /api/docs/docs/swagger-ui-init.js': 'public',
  'GET /api/docs-json': 'public',
  'GET /api/docs-yaml': 'public',
  // The console's files: the page asks for a key itself and every action goes through the API.
  'GET /console/{*any}': 'public',
};

describe('master routes × roles', () => {
  let app: INestApplication;
  let databaseUrl: string;
  let consoleDir: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('master_roles');
    consoleDir = mkdtempSync(path.join(tmpdir(), 'console-'));
    writeFileSync(path.join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');
    app = await createMasterApp(
      createFleet(databaseUrl, ['ship-a'], { CONSOLE_DIR: consoleDir }).config,
    );
    await app.init();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
    if (consoleDir) rmSync(consoleDir, { recursive: true, force: true });
  });

  it('has a role decided for every route it registers', () => {
    expect(registeredRoutes(app)).toEqual(Object.keys(MASTER_ROUTES).sort());
  });

  it('answers every route, for every role and without a key, as decided', async () => {
    const cases = routeCases(MASTER_ROUTES);
    expect(await accessMatrix(app, cases, API_KEYS)).toEqual(expectedMatrix(cases));
  }, 60_000);
});
