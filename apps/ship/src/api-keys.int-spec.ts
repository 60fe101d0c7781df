import type { INestApplication } from '@nestjs/common';
import { hashedSecret } from '@offline-sync/sync-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../../test/harness/test-infra';
import { OPERATOR_KEY, api, createTestKeys, shipEnv, startShip } from './testing/ship-test-kit';

const DECK_KEY = 'deck-crew-key-0123456789';
const BRIDGE_KEY = 'bridge-viewer-key-012345';

/** Keys from a watched file (revoked without a restart) and the limit on wrong keys, over HTTP. */
describe('ship API keys from a file, and wrong keys', () => {
  let app: INestApplication;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ship-keys-'));
    file = join(dir, 'api-keys');
    writeFileSync(
      file,
      `# issued with npm run api-key\ndeck:crew:${hashedSecret(DECK_KEY)}\nbridge:viewer:${hashedSecret(BRIDGE_KEY)}\n`,
    );
    app = await startShip(
      shipEnv(createTestKeys(), ['127.0.0.1:1'], {
        SYNC_API_KEYS_FILE: file,
        SYNC_API_KEYS_FILE_POLL_MS: '100',
        SYNC_AUTH_FAILURE_LIMIT: '3',
      }),
    );
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes hashed keys from the file, and a key deleted from it stops working without a restart', async () => {
    await api(app, DECK_KEY)
      .post('/api/content/note')
      .send({ data: { text: 'from the deck' } })
      .expect(201);
    await api(app, BRIDGE_KEY).get('/api/content/note').expect(200);

    writeFileSync(file, `bridge:viewer:${hashedSecret(BRIDGE_KEY)}\n`);
    await waitFor(async () => (await api(app, DECK_KEY).get('/api/content/note')).status === 401, {
      timeoutMs: 20_000,
      description: 'the deleted key refused',
    });
    await api(app, BRIDGE_KEY).get('/api/content/note').expect(200);
    // Keys from SYNC_API_KEYS stay.
    await api(app, OPERATOR_KEY).get('/api/content/note').expect(200);
  });

  it('answers 429 with Retry-After once an address presented too many wrong keys', async () => {
    // One wrong key was presented above (the revoked one, once refused); the limit is 3.
    let status = 0;
    let retryAfter: string | undefined;
    for (let i = 0; i < 4 && status !== 429; i++) {
      const res = await api(app, `a-wrong-guess-${i}-0123456`).get('/api/content/note');
      status = res.status;
      retryAfter = res.headers['retry-after'];
    }
    expect(status).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // The right key waits as well; liveness does not.
    const right = await api(app, OPERATOR_KEY).get('/api/content/note');
    expect(right.status).toBe(429);
    expect(right.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    await api(app, null).get('/api/offline-sync/health/live').expect(200);
  });
});
