import type { INestApplication } from '@nestjs/common';
import type { Producer } from 'kafkajs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  createKafka,
  createTestDatabase,
  dropTestDatabase,
  waitFor,
} from '../../../test/harness/test-infra';
import type { ConflictView } from '../src/conflicts/conflict.view';
import type { ConflictPage } from '../src/conflicts/conflicts.service';
import { createMasterApp } from '../src/master.app';
import {
  MasterOutput,
  api,
  body,
  createFleet,
  createShips,
  newDocumentId,
  type Fleet,
  type TestShip,
} from './master-test-kit';

/**
 * What the operator console reads and does, on real Kafka and PostgreSQL: who a key is, the
 * content types, conflicts filtered and counted, several resolved at once, a losing side put back
 * as a new recorded version; and the console's own files at /console.
 */
describe('the console API of the master (real Kafka + PostgreSQL)', () => {
  let databaseUrl: string;
  let fleet: Fleet;
  let app: INestApplication;
  let producer: Producer;
  let out: MasterOutput;
  let a: TestShip;
  let consoleDir: string;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('master_console');
    consoleDir = mkdtempSync(path.join(tmpdir(), 'console-'));
    writeFileSync(path.join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(path.join(consoleDir, 'app.js'), 'console.log(1)');
    fleet = createFleet(databaseUrl, ['ship-a'], { CONSOLE_DIR: consoleDir });
    app = await createMasterApp(fleet.config);
    await app.init();
    producer = createKafka('master-console-test').producer({ idempotent: true });
    await producer.connect();
    a = createShips(fleet, producer).get('ship-a') as TestShip;
    out = new MasterOutput(fleet.config, fleet.masterKeys);
    await out.start(['ship-a']);
  });

  afterAll(async () => {
    await out?.stop();
    await producer?.disconnect();
    await app?.close();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
    if (consoleDir) rmSync(consoleDir, { recursive: true, force: true });
  });

  /** A conflict of ship-a on a new article: the shore edited the title after the ship's base. */
  async function conflicted(title = 'sea'): Promise<ConflictView> {
    const id = newDocumentId();
    const [create] = await a.push({ op: 'create', documentId: id, fields: { title: 'base' } });
    await out.outcome('ship-a', create.changeId);
    await api(app)
      .patch(`/api/content/article/${id}?locale=en`, { data: { title: 'shore' } })
      .expect(200);
    const [edit] = await a.push({ documentId: id, baseVersion: 1, fields: { title } });
    const outcome = await out.outcome('ship-a', edit.changeId);
    expect(outcome.status).toBe('conflict');
    return body<ConflictView>(
      await api(app, 'viewer').get(`/api/offline-sync/conflicts/${outcome.conflictId}`).expect(200),
    );
  }

  it('tells a key who it is', async () => {
    const me = await api(app, 'viewer').get('/api/offline-sync/whoami').expect(200);
    expect(me.body).toEqual({ name: 'victor', role: 'viewer' });
    await api(app, null).get('/api/offline-sync/whoami').expect(401);
  });

  it('lists the content types it syncs', async () => {
    const res = await api(app, 'viewer').get('/api/offline-sync/content-types').expect(200);
    expect(body<Array<{ name: string; localized: boolean }>>(res).map((t) => t.name)).toEqual([
      'article',
      'page',
      'note',
      'setting',
    ]);
  });

  it('filters conflicts by document and age, and counts them all', async () => {
    const conflict = await conflicted();
    const byDocument = body<ConflictPage>(
      await api(app, 'viewer')
        .get(`/api/offline-sync/conflicts?document=${conflict.documentId}`)
        .expect(200),
    );
    expect(byDocument.items.map((c) => c.id)).toEqual([conflict.id]);
    expect(byDocument.counts.open).toBeGreaterThanOrEqual(1);
    const old = body<ConflictPage>(
      await api(app, 'viewer')
        .get(`/api/offline-sync/conflicts?document=${conflict.documentId}&olderThanMinutes=60`)
        .expect(200),
    );
    expect(old.items).toEqual([]);
    await api(app, 'viewer').get('/api/offline-sync/conflicts?olderThanMinutes=soon').expect(400);
  });

  it('resolves several conflicts at once, each answered with its own status', async () => {
    const conflicts = [await conflicted('one'), await conflicted('two'), await conflicted('three')];
    await api(app)
      .post(`/api/offline-sync/conflicts/${conflicts[0].id}/resolve`, { strategy: 'keep-master' })
      .expect(200);
    const ids = [...conflicts.map((c) => c.id), newDocumentId()];
    await api(app, 'viewer')
      .post('/api/offline-sync/conflicts/resolve', { ids, strategy: 'keep-ship' })
      .expect(403);
    const res = await api(app)
      .post('/api/offline-sync/conflicts/resolve', { ids, strategy: 'keep-ship' })
      .expect(200);
    expect(body<{ results: Array<{ id: string; status: number }> }>(res).results).toEqual([
      expect.objectContaining({ id: ids[0], status: 409 }),
      { id: ids[1], status: 200 },
      { id: ids[2], status: 200 },
      expect.objectContaining({ id: ids[3], status: 404 }),
    ]);
    for (const conflict of conflicts.slice(1)) {
      const doc = await api(app, 'viewer')
        .get(`/api/content/article/${conflict.documentId}?locale=en`)
        .expect(200);
      expect(doc.body).toMatchObject({ data: { title: conflict.ship.data.title } });
    }
    await api(app)
      .post('/api/offline-sync/conflicts/resolve', { ids, strategy: 'merge' })
      .expect(400);
  });

  it('puts the losing side back as a new version, on record with the conflict', async () => {
    const conflict = await conflicted('the ship lost this');
    await api(app)
      .post(`/api/offline-sync/conflicts/${conflict.id}/restore`, { side: 'ship' })
      .expect(409);
    await api(app)
      .post(`/api/offline-sync/conflicts/${conflict.id}/resolve`, { strategy: 'keep-master' })
      .expect(200);
    const restored = await api(app)
      .post(`/api/offline-sync/conflicts/${conflict.id}/restore`, { side: 'ship' })
      .expect(200);
    const view = body<ConflictView>(restored);
    expect(view.restorations).toEqual([
      { side: 'ship', version: 4, by: 'master:alice', at: expect.any(String) as string },
    ]);
    const doc = await api(app, 'viewer')
      .get(`/api/content/article/${conflict.documentId}?locale=en`)
      .expect(200);
    expect(doc.body).toMatchObject({ version: 4, data: { title: 'the ship lost this' } });
    // Broadcast like any version: the ships converge on it.
    await waitFor(() => out.latest(conflict.documentId)?.version === 4, {
      timeoutMs: 30_000,
      description: 'the restored version broadcast',
    });
    await api(app, 'viewer')
      .post(`/api/offline-sync/conflicts/${conflict.id}/restore`, { side: 'master' })
      .expect(403);
  });

  it('serves the console at /console, deep links included, with its security headers', async () => {
    const server = app.getHttpServer() as Parameters<typeof import('supertest')>[0];
    const request = (await import('supertest')).default;
    const page = await request(server).get('/console/').expect(200);
    expect(page.text).toContain('<title>console</title>');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    const deep = await request(server).get(
      '/console/conflicts/0190a000-0000-7000-8000-000000000001',
    );
    expect(deep.status).toBe(200);
    expect(deep.text).toContain('<title>console</title>');
    await request(server).get('/console/app.js').expect(200);
  });
});
