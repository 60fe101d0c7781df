import type { INestApplication } from '@nestjs/common';
import {
  generateSigningKeyPair,
  encodeEnvelope,
  MessageKind,
  signEnvelope,
} from '@offline-sync/sync-core';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import {
  createKafka,
  createTestDatabase,
  createTopics,
  kafkaBrokers,
  dropTestDatabase,
  waitFor,
} from '../../../test/harness/test-infra';
import { createMasterApp } from '../src/master.app';
import { OutboxCleanup } from '../src/outbox/outbox-cleanup';
import type { ConflictView } from '../src/conflicts/conflict.view';
import type { ConflictPage } from '../src/conflicts/conflicts.service';
import type { ContentDocument, ContentPage } from '../src/content/content.service';
import type { DeadLetterPage } from '../src/dead-letters/dead-letters.service';
import type { RevisionPage } from '../src/revisions/revision.view';
import type { ShipView } from '../src/registry/ship.view';
import type { MasterStatus } from '../src/status/status.service';
import {
  MasterOutput,
  api,
  body,
  type ErrorBody,
  createFleet,
  createShips,
  newDocumentId,
  type Fleet,
  type TestShip,
} from './master-test-kit';

/**
 * The master hub end to end on real Kafka and PostgreSQL, with the tests playing the ships: every
 * rule of SPEC §4 per (document, locale), the seed defects that must not come back, conflict
 * resolution converging the ship, idempotency under redelivery, poison messages, the registry.
 */
describe('master hub (real Kafka + PostgreSQL)', () => {
  let databaseUrl: string;
  let fleet: Fleet;
  let app: INestApplication;
  let producer: Producer;
  let db: Client;
  let out: MasterOutput;
  let a: TestShip;
  let b: TestShip;
  let c: TestShip;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('master_sync');
    fleet = createFleet(databaseUrl, ['ship-a', 'ship-b', 'ship-c'], {
      SYNC_SHIP_OFFLINE_AFTER: '1500',
    });
    app = await createMasterApp(fleet.config);
    await app.init();
    producer = createKafka('master-sync-test').producer({ idempotent: true });
    await producer.connect();
    const ships = createShips(fleet, producer);
    [a, b, c] = ['ship-a', 'ship-b', 'ship-c'].map((id) => ships.get(id) as TestShip);
    out = new MasterOutput(fleet.config, fleet.masterKeys);
    await out.start(['ship-a', 'ship-b', 'ship-c']);
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

  /** A document created by ship-a and applied as version 1. */
  async function created(
    fields: Record<string, unknown> = { title: 'Hello' },
    type = 'article',
    locale = 'en',
  ) {
    const id = newDocumentId();
    const [change] = await a.push({ op: 'create', type, documentId: id, locale, fields });
    expect(await out.outcome('ship-a', change.changeId)).toMatchObject({
      status: 'applied',
      version: 1,
    });
    return id;
  }

  async function conflictsOf(documentId: string) {
    const { rows } = await db.query<{
      id: string;
      ship_id: string;
      status: string;
      locale: string;
    }>('SELECT id, ship_id, status, locale FROM conflicts WHERE document_id = $1', [documentId]);
    return rows;
  }

  it('applies a ship create as version 1, answers the ship and relays it to every ship', async () => {
    const id = newDocumentId();
    const [change] = await a.push({ op: 'create', documentId: id, fields: { title: 'Hello' } });
    expect(await out.outcome('ship-a', change.changeId)).toMatchObject({
      status: 'applied',
      version: 1,
    });
    // master-updates is read by every ship: the accepted edit reaches them all (seed defect).
    expect(await out.update(id, 1)).toMatchObject({
      type: 'article',
      locale: 'en',
      deleted: false,
      data: { title: 'Hello' },
      author: 'ship:ship-a',
      origin: { shipId: 'ship-a', changeId: change.changeId },
    });
    const doc = await api(app, 'viewer').get(`/api/content/article/${id}?locale=en`).expect(200);
    expect(doc.body).toMatchObject({ id, version: 1, data: { title: 'Hello' } });
  });

  it('grows the version by one per change; a ship editing after its own accepted edit gets no conflict', async () => {
    const id = newDocumentId();
    // One envelope: create, then two edits both made before the ship heard back (base 1).
    const changes = await a.push(
      { op: 'create', documentId: id, fields: { title: 'v1' } },
      { documentId: id, baseVersion: 0 + 1, fields: { title: 'v2' } },
      { documentId: id, baseVersion: 1, fields: { body: 'v3' } },
    );
    for (const [i, change] of changes.entries()) {
      expect(await out.outcome('ship-a', change.changeId)).toMatchObject({
        status: 'applied',
        version: i + 1,
      });
    }
    const [later] = await a.push({ documentId: id, baseVersion: 1, fields: { title: 'v4' } });
    expect(await out.outcome('ship-a', later.changeId)).toMatchObject({
      status: 'applied',
      version: 4,
    });
    const { rows } = await db.query<{ version: number; author: string; changed_fields: string[] }>(
      'SELECT version, author, changed_fields FROM revisions WHERE document_id = $1 ORDER BY version',
      [id],
    );
    expect(rows.map((r) => [r.version, r.author, r.changed_fields])).toEqual([
      [1, 'ship:ship-a', ['title']],
      [2, 'ship:ship-a', ['title']],
      [3, 'ship:ship-a', ['body']],
      [4, 'ship:ship-a', ['title']],
    ]);
    expect(await conflictsOf(id)).toEqual([]);
    expect((await out.update(id, 4)).data).toEqual({ title: 'v4', body: 'v3' });
  });

  it('keeps versions per locale, so edits of different locales never conflict', async () => {
    const id = newDocumentId();
    const [en] = await a.push({
      op: 'create',
      documentId: id,
      locale: 'en',
      fields: { title: 'Hello' },
    });
    const [fr] = await b.push({
      op: 'create',
      documentId: id,
      locale: 'fr',
      fields: { title: 'Bonjour' },
    });
    await out.outcome('ship-a', en.changeId);
    expect(await out.outcome('ship-b', fr.changeId)).toMatchObject({
      status: 'applied',
      version: 1,
    });
    await api(app)
      .patch(`/api/content/article/${id}?locale=en`, { data: { title: 'Hi' } })
      .expect(200);
    const [frEdit] = await b.push({
      documentId: id,
      locale: 'fr',
      baseVersion: 1,
      fields: { title: 'Salut' },
    });
    const [enEdit] = await a.push({
      documentId: id,
      locale: 'en',
      baseVersion: 2,
      fields: { body: 'x' },
    });
    expect(await out.outcome('ship-b', frEdit.changeId)).toMatchObject({
      status: 'applied',
      version: 2,
    });
    expect(await out.outcome('ship-a', enEdit.changeId)).toMatchObject({
      status: 'applied',
      version: 3,
    });
    expect(await conflictsOf(id)).toEqual([]);
    expect((await out.update(id, 2, 'fr')).data).toEqual({ title: 'Salut' });
  });

  it('gives no false conflict to a ship that already saw the master edit, and a conflict to one that did not', async () => {
    const id = await created();
    const patched = await api(app).patch(`/api/content/article/${id}?locale=en`, {
      data: { title: 'Shore' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ version: 2, updatedBy: 'master:alice' });
    expect(await out.update(id, 2)).toMatchObject({
      author: 'master:alice',
      data: { title: 'Shore' },
    });

    const [seen] = await a.push({
      documentId: id,
      baseVersion: 2,
      fields: { body: 'after the shore edit' },
    });
    expect(await out.outcome('ship-a', seen.changeId)).toMatchObject({
      status: 'applied',
      version: 3,
    });

    const [stale] = await b.push({ documentId: id, baseVersion: 1, fields: { title: 'stale' } });
    const outcome = await out.outcome('ship-b', stale.changeId);
    expect(outcome.status).toBe('conflict');
    const detail = await api(app, 'viewer')
      .get(`/api/offline-sync/conflicts/${outcome.conflictId}`)
      .expect(200);
    expect(body<ConflictView>(detail).foreignAuthors).toEqual(['master:alice', 'ship:ship-a']);
  });

  it('turns ship-vs-ship concurrent edits into one open conflict per document/locale/ship, keeping the master data', async () => {
    const id = await created({ title: 'Hello', body: 'base' });
    const [fromA] = await a.push({ documentId: id, baseVersion: 1, fields: { title: 'A' } });
    expect(await out.outcome('ship-a', fromA.changeId)).toMatchObject({
      status: 'applied',
      version: 2,
    });
    const [fromB] = await b.push({ documentId: id, baseVersion: 1, fields: { title: 'B' } });
    const first = await out.outcome('ship-b', fromB.changeId);
    expect(first).toMatchObject({ status: 'conflict' });
    const [again] = await b.push({ documentId: id, baseVersion: 1, fields: { body: 'B body' } });
    expect(await out.outcome('ship-b', again.changeId)).toMatchObject({
      status: 'conflict',
      conflictId: first.conflictId,
    });
    // Neither side silently lost: the master keeps A's edit, the conflict keeps B's.
    const doc = await api(app, 'viewer').get(`/api/content/article/${id}?locale=en`).expect(200);
    expect(doc.body).toMatchObject({ version: 2, data: { title: 'A', body: 'base' } });
    const list = await api(app, 'viewer')
      .get(
        '/api/offline-sync/conflicts?status=open&ship=ship-b&type=article&locale=en&pageSize=500',
      )
      .expect(200);
    expect(body<ConflictPage>(list).items.filter((x) => x.documentId === id)).toHaveLength(1);
    const detail = await api(app, 'viewer')
      .get(`/api/offline-sync/conflicts/${first.conflictId}`)
      .expect(200);
    expect(detail.body).toMatchObject({
      status: 'open',
      conflictType: 'update-update',
      shipId: 'ship-b',
      baseVersion: 1,
      base: { title: 'Hello', body: 'base' },
      ship: {
        data: { title: 'B', body: 'B body' },
        deleted: false,
        changedFields: ['body', 'title'],
      },
      master: { version: 2, data: { title: 'A', body: 'base' }, deleted: false },
    });
    expect(body<ConflictView>(detail).differences).toEqual([
      { field: 'body', ship: 'B body', master: 'base', base: 'base' },
      { field: 'title', ship: 'B', master: 'A', base: 'Hello' },
    ]);
    // An open conflict shows the master side as it is now.
    await api(app)
      .patch(`/api/content/article/${id}?locale=en`, { data: { body: 'shore' } })
      .expect(200);
    const later = await api(app, 'viewer')
      .get(`/api/offline-sync/conflicts/${first.conflictId}`)
      .expect(200);
    expect(body<ConflictView>(later).master).toEqual({
      version: 3,
      data: { title: 'A', body: 'shore' },
      deleted: false,
    });
  });

  it('treats update vs delete and delete vs update as conflicts', async () => {
    const deletedOnShore = await created();
    await api(app).delete(`/api/content/article/${deletedOnShore}?locale=en`).expect(204);
    expect(await out.update(deletedOnShore, 2)).toMatchObject({
      deleted: true,
      author: 'master:alice',
    });
    const [update] = await b.push({
      documentId: deletedOnShore,
      baseVersion: 1,
      fields: { title: 'edit' },
    });
    const updateOutcome = await out.outcome('ship-b', update.changeId);
    expect(updateOutcome.status).toBe('conflict');

    const editedOnShore = await created();
    await api(app)
      .patch(`/api/content/article/${editedOnShore}?locale=en`, { data: { title: 'x' } })
      .expect(200);
    const [del] = await b.push({ op: 'delete', documentId: editedOnShore, baseVersion: 1 });
    const deleteOutcome = await out.outcome('ship-b', del.changeId);
    expect(deleteOutcome.status).toBe('conflict');

    const types = await db.query<{ conflict_type: string }>(
      'SELECT conflict_type FROM conflicts WHERE id = ANY($1::uuid[]) ORDER BY conflict_type',
      [[updateOutcome.conflictId, deleteOutcome.conflictId]],
    );
    expect(types.rows.map((r) => r.conflict_type)).toEqual(['delete-update', 'update-delete']);
  });

  /** ship-a creates, the shore edits the title, ship-b edits the title from version 1. */
  async function openConflict() {
    const id = await created({ title: 'Hello', body: 'base' });
    await api(app)
      .patch(`/api/content/article/${id}?locale=en`, { data: { title: 'Master' } })
      .expect(200);
    const envelope = b.envelope([
      b.change({ documentId: id, baseVersion: 1, fields: { title: 'Ship' } }),
    ]);
    await b.send(envelope);
    const change = envelope.payload.changes[0];
    const outcome = await out.outcome('ship-b', change.changeId);
    expect(outcome.status).toBe('conflict');
    return { id, change, envelope, conflictId: outcome.conflictId as string };
  }

  it('resolves keep-ship as a new version the ship converges on; twice is 409; the change never re-opens', async () => {
    const { id, change, envelope, conflictId } = await openConflict();
    const resolved = await api(app)
      .post(`/api/offline-sync/conflicts/${conflictId}/resolve`, { strategy: 'keep-ship' })
      .expect(200);
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      resolution: { strategy: 'keep-ship', version: 3, by: 'master:alice' },
    });
    expect(await out.update(id, 3)).toMatchObject({
      author: 'master:alice',
      data: { title: 'Ship', body: 'base' },
      origin: { shipId: 'ship-b', changeId: change.changeId },
    });
    expect(
      await out.outcome('ship-b', change.changeId, (o) => o.status === 'applied'),
    ).toMatchObject({
      version: 3,
    });
    await api(app)
      .post(`/api/offline-sync/conflicts/${conflictId}/resolve`, { strategy: 'keep-master' })
      .expect(409);

    // The ship re-sends the resolved change (same envelope, then a new envelope): no new conflict.
    const before = out.outcomesOf('ship-b', change.changeId).length;
    await b.send(envelope, b.envelope([change]));
    await waitFor(() => out.outcomesOf('ship-b', change.changeId).length > before, {
      timeoutMs: 30_000,
      description: 'the recorded outcome sent again',
    });
    expect(out.outcomesOf('ship-b', change.changeId).at(-1)).toMatchObject({
      status: 'applied',
      version: 3,
    });
    expect(await conflictsOf(id)).toEqual([expect.objectContaining({ status: 'resolved' })]);
    // Having applied version 3, the ship edits on: a plain fast-forward.
    const [next] = await b.push({ documentId: id, baseVersion: 3, fields: { body: 'next' } });
    expect(await out.outcome('ship-b', next.changeId)).toMatchObject({
      status: 'applied',
      version: 4,
    });
  });

  it("serves a document's revisions, oldest first, each with the ship change it carried out", async () => {
    const { id, change, conflictId } = await openConflict();
    await api(app)
      .post(`/api/offline-sync/conflicts/${conflictId}/resolve`, { strategy: 'keep-ship' })
      .expect(200);
    await api(app).delete(`/api/content/article/${id}?locale=en`).expect(204);

    const res = await api(app, 'viewer')
      .get(`/api/content/article/${id}/revisions?locale=en`)
      .expect(200);
    const page = body<RevisionPage>(res);
    expect(page).toMatchObject({ page: 1, pageSize: 50, total: 4 });
    expect(page.items.map((r) => [r.version, r.author, r.deleted, r.changedFields])).toEqual([
      [1, 'ship:ship-a', false, ['body', 'title']],
      [2, 'master:alice', false, ['title']],
      [3, 'master:alice', false, ['title']],
      [4, 'master:alice', true, []],
    ]);
    expect(page.items[0].changeId).toEqual(expect.any(String));
    expect(page.items[1].changeId).toBeNull();
    // The keep-ship resolution carried out ship-b's change: its id is on that version only.
    expect(page.items[2]).toMatchObject({
      changeId: change.changeId,
      data: { title: 'Ship', body: 'base' },
    });
    expect(page.items[3].changeId).toBeNull();

    const second = await api(app, 'viewer')
      .get(`/api/content/article/${id}/revisions?locale=en&page=2&pageSize=3`)
      .expect(200);
    expect(body<RevisionPage>(second).items.map((r) => r.version)).toEqual([4]);
    await api(app, 'viewer')
      .get(`/api/content/article/${newDocumentId()}/revisions?locale=en`)
      .expect(404);
    const bad = await api(app, 'viewer')
      .get(`/api/content/article/${id}/revisions?locale=en&pageSize=0`)
      .expect(400);
    expect(body<ErrorBody>(bad).errors[0].field).toBe('pageSize');
  });

  it('resolves keep-master: a new version with the master data; the ship is told its change was superseded', async () => {
    const { id, change, conflictId } = await openConflict();
    await api(app)
      .post(`/api/offline-sync/conflicts/${conflictId}/resolve`, { strategy: 'keep-master' })
      .expect(200);
    expect(await out.update(id, 3)).toMatchObject({ data: { title: 'Master', body: 'base' } });
    const outcome = await out.outcome('ship-b', change.changeId, (o) => o.status === 'rejected');
    expect(outcome.version).toBe(3);
    expect(outcome.reason).toMatch(/^superseded: /);
  });

  it('resolves merge from mergeData validated against the schema (operator role only)', async () => {
    const { id, change, conflictId } = await openConflict();
    const path = `/api/offline-sync/conflicts/${conflictId}/resolve`;
    await api(app, 'viewer')
      .post(path, { strategy: 'merge', mergeData: { title: 'M' } })
      .expect(403);
    const missing = await api(app).post(path, { strategy: 'merge' }).expect(400);
    expect(body<ErrorBody>(missing).errors).toEqual([
      { field: 'mergeData', reason: expect.any(String) as string },
    ]);
    const invalid = await api(app)
      .post(path, { strategy: 'merge', mergeData: { title: 5 } })
      .expect(400);
    expect(body<ErrorBody>(invalid).errors[0].field).toBe('mergeData.title');
    await api(app).post(path, { strategy: 'bogus' }).expect(400);
    await api(app)
      .post(path, { strategy: 'merge', mergeData: { title: 'Ship and Master', body: 'merged' } })
      .expect(200);
    expect((await out.update(id, 3)).data).toEqual({ title: 'Ship and Master', body: 'merged' });
    expect(
      await out.outcome('ship-b', change.changeId, (o) => o.status === 'applied'),
    ).toMatchObject({
      version: 3,
    });
  });

  it('merges non-overlapping fields under the field-merge policy and opens a conflict when they overlap', async () => {
    const id = await created({ title: 'T', body: 'B' }, 'page');
    await api(app)
      .patch(`/api/content/page/${id}?locale=en`, { data: { title: 'Shore title' } })
      .expect(200);
    const [body] = await b.push({
      type: 'page',
      documentId: id,
      baseVersion: 1,
      fields: { body: 'Ship body' },
    });
    expect(await out.outcome('ship-b', body.changeId)).toMatchObject({
      status: 'applied',
      version: 3,
    });
    expect((await out.update(id, 3)).data).toEqual({ title: 'Shore title', body: 'Ship body' });
    const [title] = await c.push({
      type: 'page',
      documentId: id,
      baseVersion: 1,
      fields: { title: 'Ship title' },
    });
    expect(await out.outcome('ship-c', title.changeId)).toMatchObject({ status: 'conflict' });
  });

  it('rejects changes it cannot apply, with a reason the ship can act on', async () => {
    const id = await created();
    const [invalid, unknownType, unknownDoc, localeOfUnlocalised] = await a.push(
      { documentId: id, baseVersion: 1, fields: { title: 42 } },
      { op: 'create', type: 'gadget', documentId: newDocumentId(), fields: { x: 1 } },
      { documentId: newDocumentId(), baseVersion: 3, fields: { title: 'x' } },
      {
        op: 'create',
        type: 'setting',
        documentId: newDocumentId(),
        locale: 'en',
        fields: { x: 1 },
      },
    );
    expect((await out.outcome('ship-a', invalid.changeId)).reason).toMatch(
      /^invalid-data: data\.title/,
    );
    expect((await out.outcome('ship-a', unknownType.changeId)).reason).toMatch(
      /^unknown-content-type/,
    );
    expect((await out.outcome('ship-a', unknownDoc.changeId)).reason).toMatch(/^unknown-document/);
    expect((await out.outcome('ship-a', localeOfUnlocalised.changeId)).reason).toMatch(
      /^invalid-data: locale/,
    );
  });

  it('applies a redelivered batch once: same envelopes again, and the same changes in new envelopes', async () => {
    const ids = Array.from({ length: 10 }, () => newDocumentId());
    const envelopes = ids.map((id) =>
      c.envelope([
        c.change({ op: 'create', documentId: id, fields: { title: 'one' } }),
        c.change({ documentId: id, baseVersion: 1, fields: { title: 'two' } }),
      ]),
    );
    await c.send(...envelopes);
    const all = envelopes.flatMap((e) => e.payload.changes);
    for (const change of all) await out.outcome('ship-c', change.changeId);
    const snapshot = async () =>
      (
        await db.query(
          `SELECT (SELECT json_agg(json_build_object('id', id, 'v', version) ORDER BY id) FROM documents WHERE id = ANY($1::uuid[])) AS docs,
                  (SELECT count(*)::int FROM revisions WHERE document_id = ANY($1::uuid[])) AS revisions,
                  (SELECT count(*)::int FROM change_outcomes WHERE ship_id = 'ship-c') AS outcomes,
                  (SELECT count(*)::int FROM outbox WHERE kind = 'master-update') AS updates`,
          [ids],
        )
      ).rows[0] as unknown;
    const before = await snapshot();

    // The whole batch again, byte for byte, then the same changes re-packed in new envelopes.
    await c.send(...envelopes);
    await c.send(...envelopes.map((e) => c.envelope(e.payload.changes)));
    const [sentinel] = await c.push({
      op: 'create',
      documentId: newDocumentId(),
      fields: { title: 'after' },
    });
    await out.outcome('ship-c', sentinel.changeId);
    // Only the sentinel added anything: one outcome and one broadcast.
    const was = before as { outcomes: number; updates: number };
    expect(await snapshot()).toEqual({
      ...was,
      outcomes: was.outcomes + 1,
      updates: was.updates + 1,
    });
    // Re-packed changes got their recorded outcomes again, identical.
    for (const change of all) {
      const seen = out.outcomesOf('ship-c', change.changeId);
      expect(seen.length).toBeGreaterThanOrEqual(2);
      expect(new Set(seen.map((o) => JSON.stringify(o))).size).toBe(1);
    }
  });

  it('dead-letters a poison message while the rest of its batch flows, retrying it with backoff until exhausted', async () => {
    const good1 = a.envelope([
      a.change({ op: 'create', documentId: newDocumentId(), fields: { title: 'good 1' } }),
    ]);
    // Signed with a key that is not ship-a's: it can never be verified, however often retried.
    const poison = signEnvelope(
      {
        sender: 'ship-a',
        kind: MessageKind.ShipChanges,
        payload: {
          changes: [
            a.change({ op: 'create', documentId: newDocumentId(), fields: { title: 'forged' } }),
          ],
        },
      },
      generateSigningKeyPair().privateKey,
    );
    const good2 = a.envelope([
      a.change({ op: 'create', documentId: newDocumentId(), fields: { title: 'good 2' } }),
    ]);
    await a.send(good1, poison, good2);
    expect(await out.outcome('ship-a', good1.payload.changes[0].changeId)).toMatchObject({
      status: 'applied',
    });
    expect(await out.outcome('ship-a', good2.payload.changes[0].changeId)).toMatchObject({
      status: 'applied',
    });
    const letter = await waitFor(
      async () => {
        const res = await api(app, 'operator').get('/api/offline-sync/dead-letters?pageSize=500');
        return body<DeadLetterPage>(res).items.find(
          (d) => d.messageId === poison.messageId && d.status === 'exhausted',
        );
      },
      { timeoutMs: 30_000, description: 'the poison message exhausted after its retries' },
    );
    expect(letter).toMatchObject({ attempts: 2, reason: 'unknown-key' });
    expect(out.outcomesOf('ship-a', poison.payload.changes[0].changeId)).toEqual([]);
  });

  it('retries a dead letter on request, checking changes below the high-water mark by change id', async () => {
    const lostId = newDocumentId();
    const lost = a.envelope([
      a.change({ op: 'create', documentId: lostId, fields: { title: 'late' } }),
    ]);
    const [later] = await a.push({
      op: 'create',
      documentId: newDocumentId(),
      fields: { title: 'later' },
    });
    await out.outcome('ship-a', later.changeId);
    // As if `lost` had been dead-lettered before `later` went through (its seq is now below the mark).
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO dead_letters (topic, partition, "offset", key, value, value_encoding, reason, detail, sender, message_id, status, attempts)
       VALUES ($1, 0, 900000001, 'ship-a', $2, 'utf8', 'unknown-sender', 'simulated', 'ship-a', $3, 'exhausted', 2)
       RETURNING id`,
      [fleet.config.topics.shipUpdates, encodeEnvelope(lost).toString('utf8'), lost.messageId],
    );
    const retried = await api(app)
      .post(`/api/offline-sync/dead-letters/${rows[0].id}/retry`)
      .expect(200);
    expect(retried.body).toMatchObject({ status: 'resolved', attempts: 3 });
    expect(await out.outcome('ship-a', lost.payload.changes[0].changeId)).toMatchObject({
      status: 'applied',
      version: 1,
    });
    await api(app, 'viewer').get(`/api/content/article/${lostId}?locale=en`).expect(200);
    await api(app).post(`/api/offline-sync/dead-letters/${rows[0].id}/retry`).expect(409);
    await api(app, 'viewer').post(`/api/offline-sync/dead-letters/${rows[0].id}/retry`).expect(403);
  });

  it('keeps the ship registry from heartbeats, refuses unknown ships and bad signatures, and sweeps a silent ship offline', async () => {
    await a.heartbeat({
      queueDepth: 4,
      failedCount: 1,
      appVersion: '2.0.0',
      appliedPosition: { '0': '0' },
    });
    const ship = await waitFor(
      async () => {
        const res = await api(app, 'viewer').get('/api/offline-sync/ships/ship-a');
        const ship = body<ShipView>(res);
        return res.status === 200 && ship.status === 'online' ? ship : undefined;
      },
      { timeoutMs: 30_000, description: 'ship-a online in the registry' },
    );
    expect(ship).toMatchObject({ queueDepth: 4, failedCount: 1, appVersion: '2.0.0' });
    // Every master update so far is one ship-a has not applied (it reports offset 0).
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox WHERE kind = 'master-update' AND status = 'sent'`,
    );
    expect(ship.lag).toBeGreaterThanOrEqual(rows[0].n);

    const stranger = generateSigningKeyPair();
    const heartbeat = (sender: string) => ({
      shipId: sender,
      sentAt: new Date().toISOString(),
      appVersion: '1',
      queueDepth: 0,
      failedCount: 0,
      oldestPendingAgeMs: null,
      appliedPosition: {},
      online: true as const,
    });
    await producer.send({
      topic: fleet.config.topics.heartbeats,
      messages: ['ship-zz', 'ship-b'].map((sender) => ({
        key: sender,
        value: encodeEnvelope(
          signEnvelope(
            { sender, kind: MessageKind.Heartbeat, payload: heartbeat(sender) },
            stranger.privateKey,
          ),
        ),
      })),
    });
    const status = await waitFor(
      async () => {
        const res = await api(app, 'viewer').get('/api/offline-sync/status');
        const current = body<MasterStatus>(res);
        const rejected = current.rejectedEnvelopes;
        // ship-b's forged heartbeat names the stranger's key, which ship-b never had.
        return rejected['unknown-sender'] >= 1 && rejected['unknown-key'] >= 1
          ? current
          : undefined;
      },
      { timeoutMs: 30_000, description: 'the forged heartbeats refused and counted' },
    );
    expect(status.ships.total).toBe(1);
    await api(app, 'viewer').get('/api/offline-sync/ships/ship-b').expect(404);

    // No more heartbeats: the sweep (one replica, advisory lock) flips ship-a offline.
    await waitFor(
      async () =>
        body<ShipView>(await api(app, 'viewer').get('/api/offline-sync/ships/ship-a')).status ===
        'offline',
      { timeoutMs: 30_000, description: 'ship-a swept offline' },
    );
    const metrics = await api(app, 'viewer').get('/api/offline-sync/metrics').expect(200);
    expect(metrics.text).toMatch(/^offline_sync_ships_total 1$/m);
    expect(metrics.text).toMatch(/^offline_sync_ships_online 0$/m);
    expect(metrics.text).toMatch(/^offline_sync_dead_letter_total\{status="exhausted"\} [1-9]/m);
    expect(metrics.text).toMatch(/^offline_sync_conflicts_open\{type="article"\} [1-9]/m);
    expect(metrics.text).toMatch(
      /offline_sync_rejected_envelopes_total\{reason="unknown-sender",topic="heartbeats"\} 1/,
    );
    // A heartbeat brings it back, and the gauge follows.
    await a.heartbeat();
    await waitFor(
      async () =>
        /^offline_sync_ships_online 1$/m.test(
          (await api(app, 'viewer').get('/api/offline-sync/metrics')).text,
        ),
      { timeoutMs: 30_000, description: 'ships online back to 1' },
    );
  });

  it('requires an API key with the right role on every route but liveness and readiness', async () => {
    await api(app, null).get('/api/offline-sync/conflicts').expect(401);
    await api(app, null).get('/api/content/article').expect(401);
    await api(app, null).get('/api/offline-sync/status').expect(401);
    await api(app, 'viewer')
      .post('/api/content/article', { data: { title: 'x' } })
      .expect(403);
    await api(app, null).get('/api/offline-sync/health/live').expect(200);
    await api(app, null).get('/api/offline-sync/health/ready').expect(200);
    await api(app, null).get('/api/offline-sync/health').expect(401);
    await api(app, null).get('/api/offline-sync/metrics').expect(401);
    const health = await api(app, 'viewer').get('/api/offline-sync/health').expect(200);
    expect(health.text).toContain('"outbox"');
    await api(app, 'viewer').get('/api/offline-sync/metrics').expect(200);
    const status = await api(app, 'viewer').get('/api/offline-sync/status').expect(200);
    expect(status.body).toMatchObject({
      mode: 'master',
      outbox: expect.any(Object) as object,
      conflicts: expect.any(Object) as object,
    });
  });

  it('serves the master content API: every write a revision by master:<user>, broadcast through the outbox', async () => {
    const created = await api(app)
      .post('/api/content/article', { data: { title: 'Shore' }, locale: 'de' })
      .expect(201);
    const id = body<ContentDocument>(created).id;
    expect(created.body).toMatchObject({
      type: 'article',
      locale: 'de',
      version: 1,
      data: { title: 'Shore' },
    });
    expect(await out.update(id, 1, 'de')).toMatchObject({
      author: 'master:alice',
      data: { title: 'Shore' },
    });
    await api(app)
      .post('/api/content/article', { id, data: { title: 'x' }, locale: 'de' })
      .expect(409);
    const bad = await api(app)
      .post('/api/content/article', { data: { title: 7 } })
      .expect(400);
    expect(body<ErrorBody>(bad).errors[0].field).toBe('data.title');
    await api(app)
      .post('/api/content/setting', { data: { a: 1 }, locale: 'en' })
      .expect(400);
    await api(app)
      .post('/api/content/gadget', { data: { a: 1 } })
      .expect(404);

    const patched = await api(app)
      .patch(`/api/content/article/${id}?locale=de`, { data: { body: 'b' } })
      .expect(200);
    expect(patched.body).toMatchObject({ version: 2, data: { title: 'Shore', body: 'b' } });
    const list = await api(app, 'viewer')
      .get('/api/content/article?locale=de&pageSize=10')
      .expect(200);
    expect(list.body).toMatchObject({ page: 1, pageSize: 10 });
    expect(body<ContentPage>(list).items.map((d) => d.id)).toContain(id);
    await api(app).delete(`/api/content/article/${id}?locale=de`).expect(204);
    await api(app, 'viewer').get(`/api/content/article/${id}?locale=de`).expect(404);
    expect(await out.update(id, 3, 'de')).toMatchObject({ deleted: true, author: 'master:alice' });
    // A ship that had version 1 and edits it now meets the deletion: a conflict, not a resurrection.
    const [edit] = await b.push({
      documentId: id,
      locale: 'de',
      baseVersion: 1,
      fields: { title: 'ship' },
    });
    expect(await out.outcome('ship-b', edit.changeId)).toMatchObject({ status: 'conflict' });
  });

  it('refuses to create a deleted document again, as ships do: deletions do not come back', async () => {
    const created = await api(app)
      .post('/api/content/article', { data: { title: 'Gone soon' }, locale: 'fr' })
      .expect(201);
    const id = body<ContentDocument>(created).id;
    await api(app).delete(`/api/content/article/${id}?locale=fr`).expect(204);

    const again = await api(app)
      .post('/api/content/article', { id, data: { title: 'Back' }, locale: 'fr' })
      .expect(409);
    expect(body<{ message: string }>(again).message).toMatch(
      /was deleted; create a new document instead/,
    );
    await api(app, 'viewer').get(`/api/content/article/${id}?locale=fr`).expect(404);
    const log = await api(app, 'viewer')
      .get(`/api/content/article/${id}/revisions?locale=fr`)
      .expect(200);
    expect(body<RevisionPage>(log).items.map((r) => [r.version, r.deleted])).toEqual([
      [1, false],
      [2, true],
    ]);
    // Another locale of the same document is a document of its own.
    await api(app)
      .post('/api/content/article', { id, data: { title: 'Ailleurs' }, locale: 'de' })
      .expect(201);
  });

  it('describes its API with OpenAPI at /api/docs', async () => {
    const doc = await api(app, null).get('/api/docs-json').expect(200);
    const paths = Object.keys(body<{ paths: Record<string, unknown> }>(doc).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/offline-sync/conflicts/{id}/resolve',
        '/api/offline-sync/ships',
        '/api/offline-sync/dead-letters/{id}/retry',
        '/api/content/{type}/{id}',
        '/api/content/{type}/{id}/revisions',
      ]) as string[],
    );
  });

  it('keeps an outbox row pending, with its error, until the broker acknowledged it (the seed marked failed sends as sent)', async () => {
    const topic = `${fleet.config.topics.masterUpdates}.not-yet`;
    const id = newDocumentId();
    await db.query(
      `INSERT INTO revisions (type, document_id, locale, version, author, changed_fields, data, at)
       VALUES ('article', $1, 'en', 1, 'master:alice', '{title}', '{"title": "late"}', now())`,
      [id],
    );
    await db.query(
      `INSERT INTO outbox (kind, message_id, topic, key, payload)
       VALUES ('master-update', gen_random_uuid(), $1, $2, $3)`,
      [
        topic,
        `article/${id}/en`,
        JSON.stringify({ type: 'article', documentId: id, locale: 'en', version: 1 }),
      ],
    );
    const failing = await waitFor(
      async () => {
        const { rows } = await db.query<{
          status: string;
          attempts: number;
          last_error: string | null;
        }>('SELECT status, attempts, last_error FROM outbox WHERE topic = $1', [topic]);
        return rows[0]?.attempts > 0 ? rows[0] : undefined;
      },
      { timeoutMs: 60_000, description: 'a failed send recorded' },
    );
    expect(failing.status).toBe('pending');
    expect(failing.last_error).toBeTruthy();
    const queue = await api(app, 'viewer').get('/api/offline-sync/queue').expect(200);
    expect(body<{ failing: number }>(queue).failing).toBeGreaterThanOrEqual(1);
    const pending = await api(app, 'viewer').get('/api/offline-sync/queue/pending').expect(200);
    expect(body<{ items: Array<{ topic: string }> }>(pending).items.map((i) => i.topic)).toContain(
      topic,
    );
    await api(app, 'admin').post('/api/offline-sync/push').expect(202);
    // Once the topic exists, the retry (with backoff) goes through and only then is it sent.
    await createTopics(kafkaBrokers(), [{ topic }]);
    await waitFor(
      async () =>
        (await db.query<{ status: string }>('SELECT status FROM outbox WHERE topic = $1', [topic]))
          .rows[0]?.status === 'sent',
      { timeoutMs: 90_000, description: 'the row sent after the retry' },
    );
    // Sent rows are cleaned up after their keeping time.
    expect(await app.get(OutboxCleanup).run(0)).toBeGreaterThan(0);
    expect((await db.query('SELECT 1 FROM outbox WHERE topic = $1', [topic])).rowCount).toBe(0);
  });
});
