import type { INestApplication } from '@nestjs/common';
import { MAX_DOCUMENT_BYTES, MAX_REQUEST_BODY_BYTES } from '@offline-sync/sync-core';
import { ConfigResourceTypes, type Producer } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import {
  createKafka,
  createTestDatabase,
  createTopics,
  dropTestDatabase,
  kafkaBrokers,
  uniqueName,
  waitFor,
} from '../../../test/harness/test-infra';
import type { ContentDocument } from '../src/content/content.service';
import type { DeadLetterPage } from '../src/dead-letters/dead-letters.service';
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

/** Text gzip cannot shrink: a batch of it stays as large on the wire as it is. */
function noise(bytes: number): string {
  return randomBytes(Math.ceil((bytes * 3) / 4))
    .toString('base64')
    .slice(0, bytes);
}

const jsonBytes = (data: unknown) => Buffer.byteLength(JSON.stringify(data));

/** Versions of new articles with their master-updates rows, in one transaction (as one batch). */
async function queueVersions(
  db: Client,
  fleet: Fleet,
  docs: Array<{ id: string; data: Record<string, unknown> }>,
): Promise<string[]> {
  const ids: string[] = [];
  await db.query('BEGIN');
  for (const doc of docs) {
    await db.query(
      `INSERT INTO revisions (type, document_id, locale, version, author, changed_fields, data, at)
       VALUES ('article', $1, 'en', 1, 'master:alice', '{body}', $2, now())`,
      [doc.id, JSON.stringify(doc.data)],
    );
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO outbox (kind, message_id, topic, key, payload)
       VALUES ('master-update', $4, $1, $2, $3) RETURNING id`,
      [
        fleet.config.topics.masterUpdates,
        `article/${doc.id}/en`,
        JSON.stringify({ type: 'article', documentId: doc.id, locale: 'en', version: 1 }),
        newDocumentId(), // a UUIDv7, as the outbox writer mints message ids
      ],
    );
    ids.push(rows[0].id);
  }
  await db.query('COMMIT');
  return ids;
}

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

/**
 * One big document must not stop the fleet (SPEC §3: one document size cap for both apps). On
 * real Kafka (its default 1 MiB message limit) and PostgreSQL: every write path refuses a document
 * over the cap, the relay sends in requests the broker accepts, a row that could never be sent is
 * parked as a dead letter, and the rows behind it (and other topics) keep flowing.
 */
describe('master: document size cap and a relay that keeps flowing (real Kafka + PostgreSQL)', () => {
  let databaseUrl: string;
  let fleet: Fleet;
  let app: INestApplication;
  let producer: Producer;
  let db: Client;
  let out: MasterOutput;
  let a: TestShip;
  let b: TestShip;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('master_size_cap');
    fleet = createFleet(databaseUrl, ['ship-a', 'ship-b']);
    app = await createMasterApp(fleet.config);
    await app.init();
    producer = createKafka('master-size-cap-test').producer({ idempotent: true });
    await producer.connect();
    const ships = createShips(fleet, producer);
    [a, b] = ['ship-a', 'ship-b'].map((id) => ships.get(id) as TestShip);
    out = new MasterOutput(fleet.config, fleet.masterKeys);
    await out.start(['ship-a', 'ship-b']);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await out?.stop();
    await producer?.disconnect();
    await app?.close();
    await db?.end();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  /** An editor's new document, and its first version as the ships received it. */
  async function published(title: string): Promise<string> {
    const res = await api(app)
      .post('/api/content/article', { data: { title }, locale: 'en' })
      .expect(201);
    const id = body<ContentDocument>(res).id;
    await out.update(id, 1);
    return id;
  }

  it('refuses a document growing towards 3 MiB with 413 naming the limit; master updates keep flowing', async () => {
    const created = await api(app)
      .post('/api/content/page', { data: { title: 'Grows' }, locale: 'en' })
      .expect(201);
    const id = body<ContentDocument>(created).id;
    // PATCHes of 90 KiB each (each body under Express's default limit), towards 3 MiB.
    let last = await api(app).get(`/api/content/page/${id}?locale=en`);
    for (let i = 0; i < 34 && last.status === 200; i += 1) {
      last = await api(app).patch(`/api/content/page/${id}?locale=en`, {
        data: { [`part${i}`]: noise(90 * 1024) },
      });
    }
    expect(last.status).toBe(413);
    expect(last.body).toMatchObject(tooLarge('data'));
    const stored = body<ContentDocument>(
      await api(app).get(`/api/content/page/${id}?locale=en`).expect(200),
    );
    expect(jsonBytes(stored.data)).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES);
    expect(stored.version).toBeGreaterThan(1);

    // A request body that is itself 3 MiB is refused before it is read, as JSON naming its limit.
    const huge = await api(app)
      .patch(`/api/content/page/${id}?locale=en`, { data: { big: noise(3 * 1024 * 1024) } })
      .expect(413);
    expect(huge.body).toMatchObject({ statusCode: 413, maxBytes: MAX_REQUEST_BODY_BYTES });
    // So is a new document over the cap, whose body is within the request limit.
    const big = await api(app)
      .post('/api/content/page', { data: { body: noise(MAX_DOCUMENT_BYTES) }, locale: 'en' })
      .expect(413);
    expect(big.body).toMatchObject(tooLarge('data'));

    // Every version that was accepted reached the ships, and so does what comes after.
    expect((await out.update(id, stored.version)).data).toEqual(stored.data);
    await published('After the big one');
  });

  it('sends a burst of documents near the cap in requests the broker accepts', async () => {
    // Ten 200 KB versions written in one transaction, as one ingest batch writes them: 2 MB of
    // master updates for one relay pass, twice the broker's message limit.
    const docs = Array.from({ length: 10 }, () => ({
      id: newDocumentId(),
      data: { body: noise(200_000) },
    }));
    await queueVersions(db, fleet, docs);
    await api(app, 'admin').post('/api/offline-sync/push').expect(202);
    for (const doc of docs) expect((await out.update(doc.id, 1)).data).toEqual(doc.data);
  });

  it('rejects a ship change whose document would be over the cap as too-large; the rest of its envelope applies', async () => {
    const id = newDocumentId();
    const [create] = await a.push({
      op: 'create',
      documentId: id,
      fields: { body: noise(200_000) },
    });
    expect(await out.outcome('ship-a', create.changeId)).toMatchObject({ status: 'applied' });
    const other = newDocumentId();
    const [grow, small] = await a.push(
      { documentId: id, baseVersion: 1, fields: { notes: noise(100_000) } },
      { op: 'create', documentId: other, fields: { title: 'Small' } },
    );
    const refused = await out.outcome('ship-a', grow.changeId);
    expect(refused.status).toBe('rejected');
    expect(refused.reason).toMatch(
      new RegExp(`^too-large: is \\d+ bytes of JSON, over the ${MAX_DOCUMENT_BYTES}-byte`),
    );
    expect(await out.outcome('ship-a', small.changeId)).toMatchObject({
      status: 'applied',
      version: 1,
    });
    await out.update(other, 1);
    const doc = body<ContentDocument>(
      await api(app).get(`/api/content/article/${id}?locale=en`).expect(200),
    );
    expect(doc.version).toBe(1);
  });

  it('answers a thousand rejections with long reasons in outcome messages the broker accepts', async () => {
    // Each change breaks the schema a hundred times over: its reason is cut at 1,024 characters.
    const tags = Array.from({ length: 100 }, (_, i) => i);
    const envelopes = Array.from({ length: 10 }, () =>
      a.envelope(
        Array.from({ length: 100 }, () =>
          a.change({ op: 'create', documentId: newDocumentId(), fields: { title: 't', tags } }),
        ),
      ),
    );
    await a.send(...envelopes);
    for (const change of envelopes.flatMap((e) => e.payload.changes)) {
      const outcome = await out.outcome('ship-a', change.changeId);
      expect(outcome.reason).toMatch(/^invalid-data: data\.tags\[0\]/);
      expect(outcome.reason?.length).toBeGreaterThan(1000);
    }
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE status = 'parked' AND kind = 'change-outcomes'`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('refuses a resolution whose document would be over the cap (keep-ship, merge) with 413', async () => {
    const id = newDocumentId();
    const [create] = await a.push({
      op: 'create',
      documentId: id,
      fields: { body: noise(200_000) },
    });
    await out.outcome('ship-a', create.changeId);
    await api(app)
      .patch(`/api/content/article/${id}?locale=en`, { data: { title: 'Master' } })
      .expect(200);
    // ship-b edits version 1: a conflict, whose ship side (the base with its fields) is too large.
    const [change] = await b.push({
      documentId: id,
      baseVersion: 1,
      fields: { notes: noise(100_000) },
    });
    const conflict = await out.outcome('ship-b', change.changeId);
    expect(conflict.status).toBe('conflict');
    const path = `/api/offline-sync/conflicts/${conflict.conflictId}/resolve`;

    const keepShip = await api(app).post(path, { strategy: 'keep-ship' }).expect(413);
    expect(keepShip.body).toMatchObject(tooLarge('shipData'));
    const merge = await api(app)
      .post(path, { strategy: 'merge', mergeData: { title: 'M', body: noise(300_000) } })
      .expect(413);
    expect(merge.body).toMatchObject(tooLarge('mergeData'));
    // Nothing was written; a resolution within the cap settles it.
    await api(app)
      .post(path, { strategy: 'merge', mergeData: { title: 'M', body: 'short' } })
      .expect(200);
    expect((await out.update(id, 3)).data).toEqual({ title: 'M', body: 'short' });
  });

  it('parks an oversized row already queued as a dead letter, and sends the rows after it in order', async () => {
    // A 3 MiB version and its master-updates row, as a release without the cap wrote them.
    const bigId = newDocumentId();
    const key = `article/${bigId}/en`;
    await db.query(
      `INSERT INTO revisions (type, document_id, locale, version, author, changed_fields, data, at)
       VALUES ('article', $1, 'en', 1, 'master:alice', '{body}', $2, now())`,
      [bigId, JSON.stringify({ body: noise(3 * 1024 * 1024) })],
    );
    const {
      rows: [row],
    } = await db.query<{ id: string }>(
      `INSERT INTO outbox (kind, message_id, topic, key, payload)
       VALUES ('master-update', gen_random_uuid(), $1, $2, $3) RETURNING id`,
      [
        fleet.config.topics.masterUpdates,
        key,
        JSON.stringify({ type: 'article', documentId: bigId, locale: 'en', version: 1 }),
      ],
    );
    // Written after it: a new document and its edit.
    const afterId = await published('Behind the big one');
    await api(app)
      .patch(`/api/content/article/${afterId}?locale=en`, { data: { title: 'Edited' } })
      .expect(200);
    await out.update(afterId, 2);
    expect(out.updates.filter((u) => u.documentId === afterId).map((u) => u.version)).toEqual([
      1, 2,
    ]);

    const parked = await db.query<{ status: string; last_error: string }>(
      'SELECT status, last_error FROM outbox WHERE id = $1',
      [row.id],
    );
    expect(parked.rows[0].status).toBe('parked');
    expect(parked.rows[0].last_error).toMatch(/^too-large: /);
    const letters = body<DeadLetterPage>(
      await api(app, 'operator').get('/api/offline-sync/dead-letters?pageSize=500').expect(200),
    ).items.filter((letter) => letter.key === key);
    expect(letters).toEqual([
      expect.objectContaining({
        topic: fleet.config.topics.masterUpdates,
        offset: row.id,
        reason: 'too-large',
        sender: 'master',
        detail: expect.stringMatching(
          new RegExp(
            `^master-update ${key}: its message is \\d+ bytes, over the ${fleet.config.maxRequestBytes}-byte request limit \\(KAFKA_MAX_REQUEST_BYTES\\)$`,
          ),
        ) as unknown,
      }),
    ]);
    expect(out.updates.some((u) => u.documentId === bigId)).toBe(false);

    // Retried by an operator: measured again, still too large, kept with its reason.
    const retried = await api(app)
      .post(`/api/offline-sync/dead-letters/${letters[0].id}/retry`)
      .expect(200);
    const after = body<{ status: string; reason: string; attempts: number }>(retried);
    expect(after.reason).toBe('too-large');
    expect(after.attempts).toBeGreaterThanOrEqual(1);
    expect(after.status).not.toBe('resolved');
    const queue = await api(app, 'viewer').get('/api/offline-sync/queue').expect(200);
    expect(body<{ parked: number }>(queue).parked).toBe(1);
  });

  it('keeps master updates flowing while another topic cannot be sent, even with a relay pass of its rows queued', async () => {
    const missing = `${fleet.config.topics.masterUpdates}.${uniqueName('missing')}`;
    const id = newDocumentId();
    await db.query(
      `INSERT INTO revisions (type, document_id, locale, version, author, changed_fields, data, at)
       VALUES ('article', $1, 'en', 1, 'master:alice', '{title}', '{"title": "stuck"}', now())`,
      [id],
    );
    // More rows for a topic that does not exist than one relay pass takes (500).
    await db.query(
      `INSERT INTO outbox (kind, message_id, topic, key, payload)
       SELECT 'master-update', gen_random_uuid(), $1, $2, $3 FROM generate_series(1, 600)`,
      [
        missing,
        `article/${id}/en`,
        JSON.stringify({ type: 'article', documentId: id, locale: 'en', version: 1 }),
      ],
    );
    try {
      await published('Past the stuck topic');
      const { rows } = await db.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM outbox WHERE topic = $1 GROUP BY status`,
        [missing],
      );
      expect(rows).toEqual([{ status: 'pending', n: 600 }]);
    } finally {
      await db.query('DELETE FROM outbox WHERE topic = $1', [missing]);
    }
  });
});

/**
 * A topic whose own message limit (`max.message.bytes`) is below KAFKA_MAX_REQUEST_BYTES: the
 * relay learns it from the broker's refusal, sends smaller requests there, and parks a message
 * the topic can never take.
 */
describe('master relay: a topic that takes less than a request (real Kafka + PostgreSQL)', () => {
  let databaseUrl: string;
  let fleet: Fleet;
  let app: INestApplication;
  let db: Client;
  let out: MasterOutput;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('master_topic_limit');
    // Uncompressed, so that what the broker measures is what the relay measures.
    fleet = createFleet(databaseUrl, ['ship-a'], { KAFKA_COMPRESSION: 'none' });
    await createTopics(kafkaBrokers(), [
      {
        topic: fleet.config.topics.masterUpdates,
        configEntries: [
          { name: 'cleanup.policy', value: 'compact' },
          { name: 'max.message.bytes', value: '300000' },
        ],
      },
    ]);
    app = await createMasterApp(fleet.config);
    await app.init();
    out = new MasterOutput(fleet.config, fleet.masterKeys);
    await out.start(['ship-a']);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await out?.stop();
    await app?.close();
    await db?.end();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  it('sends in smaller requests where the broker refused one, and parks a message the topic refuses alone', async () => {
    const fits = Array.from({ length: 3 }, () => ({
      id: newDocumentId(),
      data: { body: noise(200_000) },
    }));
    const refused = { id: newDocumentId(), data: { body: noise(400_000) } };
    const after = { id: newDocumentId(), data: { body: 'after' } };
    const [, , , refusedRow] = await queueVersions(db, fleet, [...fits, refused, after]);
    await api(app, 'admin').post('/api/offline-sync/push').expect(202);

    for (const doc of [...fits, after]) {
      expect((await out.update(doc.id, 1)).data).toEqual(doc.data);
    }
    const { rows } = await db.query<{ status: string }>('SELECT status FROM outbox WHERE id = $1', [
      refusedRow,
    ]);
    expect(rows[0].status).toBe('parked');
    // Retries cannot change that on their own: the letter ends exhausted, the row stays parked.
    const letter = await waitFor(
      async () =>
        body<DeadLetterPage>(
          await api(app, 'operator').get('/api/offline-sync/dead-letters?pageSize=500').expect(200),
        ).items.find((l) => l.offset === refusedRow && l.status === 'exhausted'),
      { timeoutMs: 30_000, description: "the parked row's dead letter exhausted" },
    );
    expect(letter).toMatchObject({
      reason: 'too-large',
      detail: expect.stringContaining('refused by the broker as too large') as unknown,
    });
    expect(out.updates.some((u) => u.documentId === refused.id)).toBe(false);
    expect(
      (await db.query<{ status: string }>('SELECT status FROM outbox WHERE id = $1', [refusedRow]))
        .rows[0].status,
    ).toBe('parked');

    // Once the topic takes larger messages, an operator's retry sends it.
    const admin = createKafka('master-topic-limit-admin').admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: fleet.config.topics.masterUpdates,
          configEntries: [{ name: 'max.message.bytes', value: '1048588' }],
        },
      ],
    });
    await admin.disconnect();
    await waitFor(
      async () =>
        body<{ status: string }>(
          await api(app).post(`/api/offline-sync/dead-letters/${letter.id}/retry`).expect(200),
        ).status === 'resolved',
      { timeoutMs: 30_000, description: 'the dead letter resolved by a retry' },
    );
    expect((await out.update(refused.id, 1)).data).toEqual(refused.data);
    expect(
      (await db.query<{ status: string }>('SELECT status FROM outbox WHERE id = $1', [refusedRow]))
        .rows[0].status,
    ).toBe('sent');
  });
});
