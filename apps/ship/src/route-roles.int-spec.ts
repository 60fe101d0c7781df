import type { INestApplication } from '@nestjs/common';
import {
  accessMatrix,
  expectedMatrix,
  registeredRoutes,
  routeCases,
  type RouteAccess,
} from '../../../test/harness/route-roles';
import { kafkaBrokers } from '../../../test/harness/test-infra';
import { ShipConfig } from './core/config/ship-config';
import {
  ADMIN_KEY,
  CREW_KEY,
  OPERATOR_KEY,
  VIEWER_KEY,
  createShipTopics,
  createTestKeys,
  shipEnv,
  startShip,
} from './testing/ship-test-kit';

/**
 * The least role of every ship route (docs/configuration.md, "API keys"). A route the app registers that is not
 * listed here fails the first test: every new route needs a decision.
 */
const SHIP_ROUTES: Record<string, RouteAccess> = {
  'GET /api/offline-sync/health/live': 'public',
  'GET /api/offline-sync/health/ready': 'public',
  'GET /api/offline-sync/health': 'viewer',
  'GET /api/offline-sync/metrics': 'viewer',
  'GET /api/offline-sync/health/metrics': 'viewer',
  'GET /api/offline-sync/status': 'viewer',
  'GET /api/offline-sync/whoami': 'viewer',
  'GET /api/offline-sync/checksum': 'viewer',
  'GET /api/offline-sync/queue': 'viewer',
  'GET /api/offline-sync/queue/pending': 'viewer',
  'POST /api/offline-sync/push': 'admin',
  'POST /api/offline-sync/pull': 'operator',
  'GET /api/content/:type': 'viewer',
  'GET /api/content/:type/:id': 'viewer',
  'POST /api/content/:type': 'crew',
  'PATCH /api/content/:type/:id': 'crew',
  'DELETE /api/content/:type/:id': 'crew',
  'POST /api/content/_bulk': 'crew',
  // The OpenAPI documents and Swagger UI describe the API; they serve no data.
  'GET /api/docs': 'public',
  'GET /api/docs/': 'public',
  'GET /api/docs/index.html': 'public',
  'GET /api/docs/LICENSE': 'public',
  'GET /api/docs/swagger-ui-init.js': 'public',
  'GET /api/docs/docs/swagger-ui-init.js': 'public',
  'GET /api/docs-json': 'public',
  'GET /api/docs-yaml': 'public',
};

describe('ship routes × roles', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const env = shipEnv(createTestKeys(), kafkaBrokers());
    await createShipTopics(ShipConfig.fromEnv(env), kafkaBrokers());
    app = await startShip(env);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  it('has a role decided for every route it registers', () => {
    expect(registeredRoutes(app)).toEqual(Object.keys(SHIP_ROUTES).sort());
  });

  it('answers every route, for every role and without a key, as decided', async () => {
    // A pull from the beginning re-downloads everything over the satellite link: admin only.
    const cases = routeCases(SHIP_ROUTES, [
      { route: 'POST /api/offline-sync/pull', body: { from: 'beginning' }, access: 'admin' },
    ]);
    const keys = { viewer: VIEWER_KEY, crew: CREW_KEY, operator: OPERATOR_KEY, admin: ADMIN_KEY };
    expect(await accessMatrix(app, cases, keys)).toEqual(expectedMatrix(cases));
  }, 60_000);
});
