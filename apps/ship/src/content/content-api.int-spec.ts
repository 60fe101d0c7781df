import type { INestApplication } from '@nestjs/common';
import { MAX_DOCUMENT_BYTES, MAX_REQUEST_BODY_BYTES } from '@offline-sync/sync-core';
import { createTestDatabase, dropTestDatabase } from '../../../../test/harness/test-infra';
import {
  VIEWER_KEY,
  api,
  createTestKeys,
  shipEnv,
  startShip,
  ADMIN_KEY,
} from '../testing/ship-test-kit';

/**
 * The crew's API with no broker reachable at all (the ship must start and serve): CRUD, the
 * outbox and its coalescing, and refusal of bad input on every route with a 4xx that names the
 * field, changing nothing. On SQLite (real files) and on PostgreSQL.
 */
describe.each(['sqlite', 'postgres'] as const)(
  'ship content API without a link (%s)',
  (database) => {
    let app: INestApplication;
    let databaseUrl: string | undefined;

    beforeAll(async () => {
      databaseUrl = database === 'postgres' ? await createTestDatabase('ship_content') : undefined;
      app = await startShip(
        shipEnv(
          createTestKeys(),
          ['127.0.0.1:1'],
          databaseUrl ? { DATABASE_CLIENT: 'postgres', DATABASE_URL: databaseUrl } : {},
        ),
      );
    });

    afterAll(async () => {
      await app?.close();
      if (databaseUrl) await dropTestDatabase(databaseUrl);
    });

    const bulk = (writes: object[], key?: string) =>
      api(app, key).post('/api/content/_bulk').send({ writes });

    /** Everything observable that a bad request must leave as it was. */
    async function snapshot() {
      const queue = await api(app).get('/api/offline-sync/queue?pageSize=500').expect(200);
      const articles = await api(app).get('/api/content/article?pageSize=500').expect(200);
      const notes = await api(app).get('/api/content/note?pageSize=500').expect(200);
      return {
        queue: queue.body as unknown,
        articles: articles.body as unknown,
        notes: notes.body as unknown,
      };
    }

    it('starts and is ready with no broker, writes locally and queues the change', async () => {
      await api(app, null).get('/api/offline-sync/health/ready').expect(200);
      const created = await api(app)
        .post('/api/content/article')
        .send({ data: { title: 'Offline', body: 'x' }, locale: 'en' })
        .expect(201);
      const doc = created.body as { id: string; version: number; sync: { state: string } };
      expect(doc).toMatchObject({
        type: 'article',
        locale: 'en',
        version: 0,
        sync: { state: 'pending' },
      });

      await api(app)
        .patch(`/api/content/article/${doc.id}?locale=en`)
        .send({ data: { title: 'Offline 2' } })
        .expect(200);
      await api(app)
        .patch(`/api/content/article/${doc.id}?locale=en`)
        .send({ data: { body: 'y' } })
        .expect(200);
      const read = await api(app, VIEWER_KEY)
        .get(`/api/content/article/${doc.id}?locale=en`)
        .expect(200);
      expect(read.body).toMatchObject({ data: { title: 'Offline 2', body: 'y' } });

      // create + update + update coalesce into one create with the full data.
      const pending = await api(app).get('/api/offline-sync/queue/pending').expect(200);
      const rows = (pending.body as { items: { op: string; fields: object; documentId: string }[] })
        .items;
      expect(rows.filter((r) => r.documentId === doc.id)).toEqual([
        expect.objectContaining({ op: 'create', fields: { title: 'Offline 2', body: 'y' } }),
      ]);

      // create + delete → nothing to send; the document is gone (404) but kept as a tombstone.
      const note = await api(app)
        .post('/api/content/note')
        .send({ data: { text: 'tmp' } })
        .expect(201);
      const noteId = (note.body as { id: string }).id;
      await api(app).delete(`/api/content/note/${noteId}`).expect(204);
      await api(app).get(`/api/content/note/${noteId}`).expect(404);
      const after = await api(app).get('/api/offline-sync/queue').expect(200);
      expect(
        (after.body as { items: { documentId: string }[] }).items.some(
          (r) => r.documentId === noteId,
        ),
      ).toBe(false);

      const status = await api(app).get('/api/offline-sync/status').expect(200);
      expect(status.body).toMatchObject({
        shipId: 'ship-test',
        online: false,
        pending: 1,
        failed: 0,
      });
    });

    it('refuses bad input on every route with a 4xx naming the field, and changes nothing', async () => {
      const created = await api(app)
        .post('/api/content/article')
        .send({ data: { title: 'Keep me' }, locale: 'en' })
        .expect(201);
      const id = (created.body as { id: string }).id;
      const before = await snapshot();
      const uuid = '01890a5d-ac96-774b-bcce-b302099a8057';

      const cases: {
        name: string;
        run: () => Promise<{ status: number; body: unknown }>;
        field: string;
        status?: number;
      }[] = [
        {
          name: 'unknown type',
          field: 'type',
          run: () =>
            api(app)
              .post('/api/content/ship-log')
              .send({ data: { a: 1 } }),
        },
        {
          name: 'bad type name',
          field: 'type',
          run: () =>
            api(app)
              .post('/api/content/Bad_Type')
              .send({ data: { a: 1 } }),
        },
        {
          name: 'data missing',
          field: 'data',
          run: () => api(app).post('/api/content/article').send({ locale: 'en' }),
        },
        {
          name: 'data not an object',
          field: 'data',
          run: () =>
            api(app)
              .post('/api/content/article')
              .send({ data: [1] }),
        },
        {
          name: 'schema: required field',
          field: 'data.title',
          run: () =>
            api(app)
              .post('/api/content/article')
              .send({ data: { body: 'x' } }),
        },
        {
          name: 'schema: wrong type',
          field: 'data.n',
          run: () =>
            api(app)
              .post('/api/content/article')
              .send({ data: { title: 't', n: 'one' } }),
        },
        {
          name: 'schema: extra field',
          field: 'data.colour',
          run: () =>
            api(app)
              .post('/api/content/article')
              .send({ data: { title: 't', colour: 'red' } }),
        },
        {
          name: 'reserved key',
          field: 'data.__proto__',
          run: () =>
            api(app)
              .post('/api/content/note')
              .set('Content-Type', 'application/json')
              .send('{"data":{"__proto__":{"x":1}}}'),
        },
        {
          name: 'bad locale',
          field: 'locale',
          run: () =>
            api(app)
              .post('/api/content/article')
              .send({ data: { title: 't' }, locale: 'en_GB!' }),
        },
        {
          name: 'locale on unlocalised type',
          field: 'locale',
          run: () =>
            api(app)
              .post('/api/content/note')
              .send({ data: { a: 1 }, locale: 'en' }),
        },
        {
          name: 'bad id',
          field: 'id',
          run: () =>
            api(app)
              .post('/api/content/article')
              .send({ data: { title: 't' }, id: 'nope' }),
        },
        {
          name: 'unknown property',
          field: 'extra',
          run: () =>
            api(app)
              .post('/api/content/article')
              .send({ data: { title: 't' }, extra: 1 }),
        },
        {
          name: 'duplicate create',
          field: '',
          status: 409,
          run: () =>
            api(app)
              .post('/api/content/article')
              .send({ data: { title: 't' }, id, locale: 'en' }),
        },
        {
          name: 'list: bad page',
          field: 'page',
          run: () => api(app).get('/api/content/article?page=0'),
        },
        {
          name: 'list: bad pageSize',
          field: 'pageSize',
          run: () => api(app).get('/api/content/article?pageSize=abc'),
        },
        {
          name: 'list: unknown query',
          field: 'sort',
          run: () => api(app).get('/api/content/article?sort=asc'),
        },
        { name: 'get: bad id', field: 'id', run: () => api(app).get('/api/content/article/123') },
        {
          name: 'get: missing',
          field: '',
          status: 404,
          run: () => api(app).get(`/api/content/article/${uuid}?locale=en`),
        },
        {
          name: 'patch: empty data',
          field: 'data',
          run: () => api(app).patch(`/api/content/article/${id}?locale=en`).send({ data: {} }),
        },
        {
          name: 'patch: schema',
          field: 'data.title',
          run: () =>
            api(app)
              .patch(`/api/content/article/${id}?locale=en`)
              .send({ data: { title: '' } }),
        },
        {
          name: 'patch: bad locale',
          field: 'locale',
          run: () =>
            api(app)
              .patch(`/api/content/article/${id}?locale=%20`)
              .send({ data: { title: 'x' } }),
        },
        {
          name: 'patch: missing',
          field: '',
          status: 404,
          run: () =>
            api(app)
              .patch(`/api/content/article/${uuid}?locale=en`)
              .send({ data: { title: 'x' } }),
        },
        {
          name: 'delete: bad id',
          field: 'id',
          run: () => api(app).delete('/api/content/article/xyz'),
        },
        {
          name: 'delete: missing',
          field: '',
          status: 404,
          run: () => api(app).delete(`/api/content/article/${uuid}?locale=en`),
        },
        {
          name: 'bulk: no writes',
          field: 'writes',
          run: () => bulk([]),
        },
        {
          name: 'bulk: bad op',
          field: 'writes[0].op',
          run: () => bulk([{ op: 'upsert', type: 'note', data: { a: 1 } }]),
        },
        {
          name: 'bulk: update without id',
          field: 'writes[0].id',
          run: () => bulk([{ op: 'update', type: 'note', data: { a: 1 } }]),
        },
        {
          name: 'bulk: schema of the second write (the first is valid, nothing is written)',
          field: 'writes[1].data.title',
          run: () =>
            bulk([
              { op: 'create', type: 'note', data: { a: 1 } },
              { op: 'create', type: 'article', locale: 'en', data: { body: 'x' } },
            ]),
        },
        {
          name: 'bulk: data on delete',
          field: 'writes[1].data',
          run: () =>
            bulk([
              { op: 'create', type: 'note', data: { a: 1 } },
              { op: 'delete', type: 'article', id, locale: 'en', data: { a: 1 } },
            ]),
        },
        {
          name: 'bulk: unknown type',
          field: 'writes[0].type',
          run: () => bulk([{ op: 'create', type: 'ship-log', data: { a: 1 } }]),
        },
        {
          name: 'bulk: a missing document after valid writes',
          field: 'writes[2]',
          status: 404,
          run: () =>
            bulk([
              { op: 'create', type: 'note', data: { a: 1 } },
              { op: 'update', type: 'article', id, locale: 'en', data: { title: 'Changed' } },
              { op: 'delete', type: 'article', id: uuid, locale: 'en' },
            ]),
        },
        {
          name: 'bulk: viewer writes',
          field: '',
          status: 403,
          run: () => bulk([{ op: 'create', type: 'note', data: { a: 1 } }], VIEWER_KEY),
        },
        {
          name: 'queue: bad status',
          field: 'status',
          run: () => api(app).get('/api/offline-sync/queue?status=lost'),
        },
        {
          name: 'queue/pending: bad page',
          field: 'page',
          run: () => api(app).get('/api/offline-sync/queue/pending?page=-1'),
        },
        {
          name: 'push: unknown property',
          field: 'force',
          run: () => api(app, ADMIN_KEY).post('/api/offline-sync/push').send({ force: true }),
        },
        {
          name: 'pull: bad from',
          field: 'from',
          run: () => api(app).post('/api/offline-sync/pull').send({ from: 'yesterday' }),
        },
        {
          name: 'no key',
          field: '',
          status: 401,
          run: () => api(app, null).get('/api/offline-sync/status'),
        },
        {
          name: 'wrong key',
          field: '',
          status: 401,
          run: () => api(app, 'not-a-valid-key-at-all').get('/api/content/article'),
        },
        {
          name: 'viewer writes',
          field: '',
          status: 403,
          run: () =>
            api(app, VIEWER_KEY)
              .post('/api/content/article')
              .send({ data: { title: 't' } }),
        },
        {
          name: 'viewer pushes',
          field: '',
          status: 403,
          run: () => api(app, VIEWER_KEY).post('/api/offline-sync/push'),
        },
      ];

      for (const c of cases) {
        const response = await c.run();
        const body = response.body as {
          errors?: { field: string; reason: string }[];
          message?: string;
        };
        expect({ case: c.name, status: response.status }).toEqual({
          case: c.name,
          status: c.status ?? 400,
        });
        if (c.field) {
          expect({ case: c.name, fields: (body.errors ?? []).map((e) => e.field) }).toEqual({
            case: c.name,
            fields: expect.arrayContaining([c.field]) as unknown,
          });
          expect(body.errors?.every((e) => e.reason.length > 0)).toBe(true);
        }
      }
      expect(await snapshot()).toEqual(before);
    });

    it('applies a bulk request in order in one transaction, as single writes would', async () => {
      const existing = await api(app)
        .post('/api/content/article')
        .send({ data: { title: 'Before bulk' }, locale: 'en' })
        .expect(201);
      const existingId = (existing.body as { id: string }).id;
      const noteId = '01890a5d-ac96-774b-bcce-b302099a8058';
      const response = await bulk([
        { op: 'create', type: 'note', id: noteId, data: { text: 'one' } },
        { op: 'update', type: 'note', id: noteId, data: { text: 'two' } },
        { op: 'update', type: 'article', id: existingId, locale: 'en', data: { body: 'b' } },
        { op: 'create', type: 'article', id: existingId, locale: 'de', data: { title: 'De' } },
        { op: 'delete', type: 'article', id: existingId, locale: 'en' },
      ]).expect(200);
      const results = (response.body as { results: { id: string; data: object }[] }).results;
      expect(results.map((r) => r.data)).toEqual([
        { text: 'one' },
        { text: 'two' },
        { title: 'Before bulk', body: 'b' },
        { title: 'De' },
        { title: 'Before bulk', body: 'b' },
      ]);
      await api(app)
        .get(`/api/content/note/${noteId}`)
        .expect(200, /"text":"two"/);
      await api(app).get(`/api/content/article/${existingId}?locale=de`).expect(200);
      await api(app).get(`/api/content/article/${existingId}?locale=en`).expect(404);
      // The same coalescing as single writes: create + update → one create; create + delete of
      // the English article (never sent) → nothing; the German locale → one create.
      const pending = await api(app)
        .get('/api/offline-sync/queue/pending?pageSize=500')
        .expect(200);
      const mine = (
        pending.body as {
          items: { op: string; documentId: string; locale: string; fields: object }[];
        }
      ).items.filter((r) => r.documentId === noteId || r.documentId === existingId);
      expect(mine).toEqual([
        expect.objectContaining({ documentId: noteId, op: 'create', fields: { text: 'two' } }),
        expect.objectContaining({ documentId: existingId, locale: 'de', op: 'create' }),
      ]);
    });

    it('takes a document at the size limit and refuses one over it with 413 naming the limit', async () => {
      /** Note data whose JSON text is exactly `bytes` long (`{"text":"…"}`). */
      const noteOf = (bytes: number) => ({ text: 'x'.repeat(bytes - 11) });
      const atCap = await api(app)
        .post('/api/content/note')
        .send({ data: noteOf(MAX_DOCUMENT_BYTES) })
        .expect(201);
      const id = (atCap.body as { id: string }).id;
      const before = await snapshot();

      const tooLarge = (field: string) => ({
        statusCode: 413,
        maxBytes: MAX_DOCUMENT_BYTES,
        errors: [
          {
            field,
            reason: expect.stringContaining(
              `over the ${MAX_DOCUMENT_BYTES}-byte document size limit`,
            ) as unknown,
          },
        ],
      });
      const created = await api(app)
        .post('/api/content/note')
        .send({ data: noteOf(MAX_DOCUMENT_BYTES + 1) })
        .expect(413);
      expect(created.body).toMatchObject(tooLarge('data'));
      // A small patch that would take the stored document over the limit.
      const patched = await api(app)
        .patch(`/api/content/note/${id}`)
        .send({ data: { more: 'y' } })
        .expect(413);
      expect(patched.body).toMatchObject(tooLarge('data'));
      const bulked = await bulk([
        { op: 'create', type: 'note', data: { a: 1 } },
        { op: 'update', type: 'note', id, data: { more: 'y' } },
      ]).expect(413);
      expect(bulked.body).toMatchObject(tooLarge('writes[1].data'));
      // A body over the request limit is refused before it is parsed, as JSON naming the limit.
      const huge = await api(app)
        .post('/api/content/note')
        .send({ data: noteOf(MAX_REQUEST_BODY_BYTES + 1) })
        .expect(413);
      expect(huge.body).toMatchObject({
        statusCode: 413,
        maxBytes: MAX_REQUEST_BODY_BYTES,
        message: `Request body is larger than the ${MAX_REQUEST_BODY_BYTES}-byte limit`,
        errors: [
          { field: 'body', reason: `is larger than the ${MAX_REQUEST_BODY_BYTES}-byte limit` },
        ],
      });
      expect(await snapshot()).toEqual(before);
    });

    it('serves health and metrics without a key', async () => {
      await api(app, null).get('/api/offline-sync/health/live').expect(200);
      const metrics = await api(app, VIEWER_KEY).get('/api/offline-sync/metrics').expect(200);
      expect(metrics.text).toContain('offline_sync_outbox_depth{state="pending"}');
      expect(metrics.text).toContain('offline_sync_ship_online{ship_id="ship-test"} 0');
    });
  },
);
