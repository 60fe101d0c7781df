import type { INestApplication } from '@nestjs/common';
import { encodeEnvelope, MessageKind, SENT_AT_HEADER, signEnvelope } from '@offline-sync/sync-core';
import type { Producer } from 'kafkajs';
import { Client } from 'pg';
import {
  createKafka,
  createTestDatabase,
  dropTestDatabase,
  waitFor,
} from '../../../test/harness/test-infra';
import type { DeadLetterPage } from '../src/dead-letters/dead-letters.service';
import { createMasterApp } from '../src/master.app';
import type { ShipView } from '../src/registry/ship.view';
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

const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * The master's side of the guarantees over a ship's life (SPEC §3, docs/protocol.md
 * "Guarantees"): verdicts per change, order kept under replays, versions before clocks, identity
 * and freshness of what ships send, answers for every change it was asked about.
 */
describe('master guarantees over a ship life (real Kafka + PostgreSQL)', () => {
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
    databaseUrl = await createTestDatabase('master_guarantees');
    fleet = createFleet(databaseUrl, ['ship-a', 'ship-b', 'ship-c'], {
      SYNC_SHIP_OFFLINE_AFTER: '1500',
      SYNC_HEARTBEAT_INTERVAL: '500',
    });
    app = await createMasterApp(fleet.config);
    await app.init();
    producer = createKafka('master-guarantees-test').producer({ idempotent: true });
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

  function shipKey(id: string) {
    const keys = fleet.ships.get(id);
    if (!keys) throw new Error(`no keys for ${id}`);
    return keys.privateKey;
  }

  async function created(ship: TestShip, fields: Record<string, unknown>, type = 'article') {
    const id = newDocumentId();
    const [change] = await ship.push({ op: 'create', type, documentId: id, fields });
    expect(await out.outcome(ship.id, change.changeId)).toMatchObject({ status: 'applied' });
    return id;
  }

  /** Waits until the master's consumer group has committed everything on the topic. */
  async function consumed(topic: string): Promise<void> {
    const admin = createKafka('master-guarantees-admin').admin();
    await admin.connect();
    try {
      await waitFor(
        async () => {
          const ends = await admin.fetchTopicOffsets(topic);
          const [group] = await admin.fetchOffsets({
            groupId: fleet.config.consumerGroupId,
            topics: [topic],
          });
          return ends.every(
            (end) =>
              BigInt(group.partitions.find((p) => p.partition === end.partition)?.offset ?? -1) >=
              BigInt(end.high),
          );
        },
        { timeoutMs: 30_000, description: `the master consumed ${topic}` },
      );
    } finally {
      await admin.disconnect();
    }
  }

  async function deadLetters() {
    const res = await api(app, 'operator').get('/api/offline-sync/dead-letters?pageSize=500');
    return body<DeadLetterPage>(res).items;
  }

  it('applies the 99 good changes of an envelope and rejects the one with a NUL character', async () => {
    const specs = Array.from({ length: 100 }, (_, i) => ({
      op: 'create' as const,
      documentId: newDocumentId(),
      fields: { title: i === 57 ? 'bad \u0000 title' : `good ${i}` },
    }));
    const changes = await a.push(...specs);
    for (const [i, change] of changes.entries()) {
      const outcome = await out.outcome('ship-a', change.changeId);
      if (i === 57) {
        expect(outcome).toMatchObject({ status: 'rejected' });
        expect(outcome.reason).toMatch(/^invalid-data: data\.title: .*NUL/);
      } else {
        expect(outcome).toMatchObject({ status: 'applied', version: 1 });
      }
    }
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM documents WHERE id = ANY($1::uuid[])`,
      [changes.map((c) => c.documentId)],
    );
    expect(rows[0].n).toBe(99);
    expect((await deadLetters()).filter((d) => d.sender === 'ship-a')).toEqual([]);
  });

  it('rejects a lone surrogate in a key or a value the same way, change by change', async () => {
    const [key, value, good] = await a.push(
      { op: 'create', documentId: newDocumentId(), fields: { title: 't', ['\ud800x']: 1 } },
      { op: 'create', documentId: newDocumentId(), fields: { title: 'half \udfff' } },
      { op: 'create', documentId: newDocumentId(), fields: { title: 'whole 😀' } },
    );
    expect((await out.outcome('ship-a', key.changeId)).reason).toMatch(/^invalid-data: data\./);
    expect((await out.outcome('ship-a', value.changeId)).reason).toMatch(
      /^invalid-data: data\.title: .*surrogate/,
    );
    expect(await out.outcome('ship-a', good.changeId)).toMatchObject({ status: 'applied' });
  });

  it('rejects, change by change, what the database refuses for a reason the rules did not foresee', async () => {
    // A rule only the database knows stands in for any refusal (a constraint, a trigger).
    await db.query(
      `ALTER TABLE documents ADD CONSTRAINT test_no_poison CHECK (data->>'title' IS DISTINCT FROM 'poison')`,
    );
    try {
      const changes = await a.push(
        { op: 'create', documentId: newDocumentId(), fields: { title: 'fine 1' } },
        { op: 'create', documentId: newDocumentId(), fields: { title: 'poison' } },
        { op: 'create', documentId: newDocumentId(), fields: { title: 'fine 2' } },
      );
      const outcomes = await Promise.all(
        changes.map((change) => out.outcome('ship-a', change.changeId)),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['applied', 'rejected', 'applied']);
      expect(outcomes[1].reason).toMatch(/^database-refused: .*23514/);
    } finally {
      await db.query(`ALTER TABLE documents DROP CONSTRAINT test_no_poison`);
    }
    expect((await deadLetters()).filter((d) => d.sender === 'ship-a')).toEqual([]);
  });

  it('deduplicates envelopes per sender: the same messageId from two ships applies both', async () => {
    const envelopeA = a.envelope([
      a.change({ op: 'create', documentId: newDocumentId(), fields: { title: 'from a' } }),
    ]);
    const changeB = b.change({
      op: 'create',
      documentId: newDocumentId(),
      fields: { title: 'from b' },
    });
    const envelopeB = signEnvelope(
      {
        sender: 'ship-b',
        kind: MessageKind.ShipChanges,
        payload: { changes: [changeB] },
        messageId: envelopeA.messageId,
      },
      shipKey('ship-b'),
    );
    await a.send(envelopeA);
    await out.outcome('ship-a', envelopeA.payload.changes[0].changeId);
    await b.send(envelopeB);
    expect(await out.outcome('ship-b', changeB.changeId)).toMatchObject({ status: 'applied' });
  });

  it('dead-letters an envelope whose sender is not its Kafka key, applying nothing of it', async () => {
    const documentId = newDocumentId();
    const envelope = b.envelope([
      b.change({ op: 'create', documentId, fields: { title: 'misrouted' } }),
    ]);
    await producer.send({
      topic: fleet.config.topics.shipUpdates,
      messages: [{ key: 'ship-a', value: encodeEnvelope(envelope) }],
    });
    const letter = await waitFor(
      async () => (await deadLetters()).find((d) => d.messageId === envelope.messageId),
      { timeoutMs: 30_000, description: 'the misrouted envelope dead-lettered' },
    );
    expect(letter.reason).toBe('sender-mismatch');
    expect(letter.detail).toMatch(/key 'ship-a'.*sender 'ship-b'/);
    await api(app, 'viewer').get(`/api/content/article/${documentId}?locale=en`).expect(404);
  });

  it('answers every change of an exhausted dead letter: rejected, with the reason', async () => {
    const envelope = b.envelope([
      b.change({ op: 'create', documentId: newDocumentId(), fields: { title: 'lost 1' } }),
      b.change({ op: 'create', documentId: newDocumentId(), fields: { title: 'lost 2' } }),
    ]);
    // Authentic (signed by ship-b) but sent under another key: it can never go through.
    await producer.send({
      topic: fleet.config.topics.shipUpdates,
      messages: [{ key: 'ship-z', value: encodeEnvelope(envelope) }],
    });
    for (const change of envelope.payload.changes) {
      const outcome = await out.outcome('ship-b', change.changeId);
      expect(outcome).toMatchObject({ status: 'rejected' });
      expect(outcome.reason).toMatch(/^dead-lettered: sender-mismatch/);
    }
    const letter = (await deadLetters()).find((d) => d.messageId === envelope.messageId);
    expect(letter?.status).toBe('exhausted');
  });

  it('answers a re-sent envelope it already processed with the recorded outcomes', async () => {
    const envelope = a.envelope([
      a.change({ op: 'create', documentId: newDocumentId(), fields: { title: 'once' } }),
    ]);
    const [change] = envelope.payload.changes;
    await a.send(envelope);
    const first = await out.outcome('ship-a', change.changeId);
    await a.send(envelope);
    await waitFor(() => out.outcomesOf('ship-a', change.changeId).length >= 2, {
      timeoutMs: 30_000,
      description: 'a second answer to the re-sent envelope',
    });
    expect(out.outcomesOf('ship-a', change.changeId)).toEqual([first, first]);
  });

  it('supersedes a replayed change older than one already accepted for the document', async () => {
    const id = await created(a, { title: 'v1' });
    const older = a.change({ documentId: id, baseVersion: 1, fields: { title: 'older edit' } });
    const newer = a.change({ documentId: id, baseVersion: 1, fields: { title: 'newer edit' } });
    // The envelope with the older change was lost on the way; the newer one went through.
    await a.send(a.envelope([newer]));
    expect(await out.outcome('ship-a', newer.changeId)).toMatchObject({
      status: 'applied',
      version: 2,
    });
    // Re-sent later in an envelope of its own, it must not overwrite the newer version.
    await a.send(a.envelope([older]));
    const outcome = await out.outcome('ship-a', older.changeId);
    expect(outcome).toMatchObject({ status: 'rejected', version: 2 });
    expect(outcome.reason).toMatch(/^superseded: /);
    const doc = await api(app, 'viewer').get(`/api/content/article/${id}?locale=en`).expect(200);
    expect(doc.body).toMatchObject({ version: 2, data: { title: 'newer edit' } });
  });

  it('supersedes a dead letter retried after a newer edit, keeping the newer value everywhere', async () => {
    const id = await created(a, { title: 'v1' });
    const stale = a.envelope([
      a.change({ documentId: id, baseVersion: 1, fields: { title: 'stale edit' } }),
    ]);
    const [fresh] = await a.push({ documentId: id, baseVersion: 1, fields: { title: 'fresh' } });
    expect(await out.outcome('ship-a', fresh.changeId)).toMatchObject({ version: 2 });
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO dead_letters (topic, partition, "offset", key, value, value_encoding, reason, detail, sender, message_id, status, attempts)
       VALUES ($1, 0, 900000101, 'ship-a', $2, 'utf8', 'ingest-failed', 'simulated', 'ship-a', $3, 'pending', 0)
       RETURNING id`,
      [fleet.config.topics.shipUpdates, encodeEnvelope(stale).toString('utf8'), stale.messageId],
    );
    await api(app).post(`/api/offline-sync/dead-letters/${rows[0].id}/retry`).expect(200);
    const outcome = await out.outcome('ship-a', stale.payload.changes[0].changeId);
    expect(outcome).toMatchObject({ status: 'rejected', version: 2 });
    expect(outcome.reason).toMatch(/^superseded: /);
    const latest = out.latest(id);
    expect(latest).toMatchObject({ version: 2, data: { title: 'fresh' } });
  });

  it('gives a conflict outcome the master version, and names open conflicts in master updates', async () => {
    const id = await created(b, { title: 'base' });
    await api(app)
      .patch(`/api/content/article/${id}?locale=en`, { data: { title: 'shore' } })
      .expect(200);
    const [edit] = await b.push({ documentId: id, baseVersion: 1, fields: { title: 'sea' } });
    const conflict = await out.outcome('ship-b', edit.changeId);
    expect(conflict).toMatchObject({ status: 'conflict', version: 2 });
    // An unrelated shore edit while the conflict is open: its update says the conflict is open.
    await api(app)
      .patch(`/api/content/article/${id}?locale=en`, { data: { body: 'more' } })
      .expect(200);
    expect(await out.update(id, 3)).toMatchObject({ openConflicts: [conflict.conflictId] });
    await api(app)
      .post(`/api/offline-sync/conflicts/${conflict.conflictId}/resolve`, {
        strategy: 'keep-ship',
      })
      .expect(200);
    const resolution = await out.update(id, 4);
    expect(resolution.openConflicts).toBeUndefined();
  });

  it('does not let a ship clock a year ahead win last-write-wins against a later shore edit', async () => {
    const id = await created(a, { title: 'base' }, 'note');
    // The crew edits offline first (its clock a year ahead), the shore edits after that.
    const editedAt = new Date(Date.now() + YEAR_MS).toISOString();
    const change = a.change({
      type: 'note',
      documentId: id,
      baseVersion: 1,
      fields: { title: 'sea, earlier' },
      editedAt,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await api(app)
      .patch(`/api/content/note/${id}?locale=en`, { data: { title: 'shore, later' } })
      .expect(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The ship reconnects and sends: its envelope carries its (skewed) clock too.
    const envelope = signEnvelope(
      {
        sender: 'ship-a',
        kind: MessageKind.ShipChanges,
        payload: { changes: [change] },
        timestamp: new Date(Date.now() + YEAR_MS + 100).toISOString(),
      },
      shipKey('ship-a'),
    );
    await a.send(envelope);
    const outcome = await out.outcome('ship-a', change.changeId);
    expect(outcome).toMatchObject({ status: 'rejected', version: 2 });
    expect(outcome.reason).toMatch(/^superseded: last-write-wins/);
    const doc = await api(app, 'viewer').get(`/api/content/note/${id}?locale=en`).expect(200);
    expect(doc.body).toMatchObject({ data: { title: 'shore, later' } });
    // And the revision it would have left never claims a time in the future.
    const { rows } = await db.query<{ future: number }>(
      `SELECT count(*)::int AS future FROM revisions WHERE at > now() + interval '1 minute'`,
    );
    expect(rows[0].future).toBe(0);
  });

  it('bounds a clock a year ahead by its heartbeats when its envelope reaches the broker late', async () => {
    const id = await created(c, { title: 'base' }, 'note');
    const skewed = (ms: number): number => ms + YEAR_MS;
    // While its link is up, the ship's heartbeats show how far its clock runs ahead.
    await c.heartbeat({ sentAt: new Date(skewed(Date.now())).toISOString() });
    await waitFor(
      async () =>
        (
          await db.query<{ ahead: boolean }>(
            `SELECT last_heartbeat_at > now() + interval '300 days' AS ahead FROM ships WHERE id = 'ship-c'`,
          )
        ).rows[0]?.ahead === true,
      { timeoutMs: 30_000, description: "ship-c's heartbeat registered" },
    );
    // The crew edits during an outage; the relay seals and starts sending at once...
    const editedMs = Date.now();
    const change = c.change({
      type: 'note',
      documentId: id,
      baseVersion: 1,
      fields: { title: 'sea, earlier' },
      editedAt: new Date(skewed(editedMs)).toISOString(),
    });
    const envelope = signEnvelope(
      {
        sender: 'ship-c',
        kind: MessageKind.ShipChanges,
        payload: { changes: [change] },
        timestamp: new Date(skewed(editedMs + 50)).toISOString(),
      },
      shipKey('ship-c'),
    );
    // ...the shore edits 1.5 s later...
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await api(app)
      .patch(`/api/content/note/${id}?locale=en`, { data: { title: 'shore, later' } })
      .expect(200);
    // ...and the send started during the outage reaches the broker 3 s after the edit.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await producer.send({
      topic: fleet.config.topics.shipUpdates,
      messages: [
        {
          key: 'ship-c',
          value: encodeEnvelope(envelope),
          headers: { [SENT_AT_HEADER]: String(skewed(editedMs + 60)) },
        },
      ],
    });
    const outcome = await out.outcome('ship-c', change.changeId);
    expect(outcome).toMatchObject({ status: 'rejected', version: 2 });
    expect(outcome.reason).toMatch(/^superseded: last-write-wins/);
    const doc = await api(app, 'viewer').get(`/api/content/note/${id}?locale=en`).expect(200);
    expect(doc.body).toMatchObject({ data: { title: 'shore, later' } });
  });

  it('lets a ship clock a year ahead still win against an older shore edit, at its true time', async () => {
    const id = await created(a, { title: 'base' }, 'note');
    await api(app)
      .patch(`/api/content/note/${id}?locale=en`, { data: { title: 'shore, earlier' } })
      .expect(200);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const skewed = (): string => new Date(Date.now() + YEAR_MS).toISOString();
    const change = a.change({
      type: 'note',
      documentId: id,
      baseVersion: 1,
      fields: { title: 'sea, later' },
      editedAt: skewed(),
    });
    await a.send(
      signEnvelope(
        {
          sender: 'ship-a',
          kind: MessageKind.ShipChanges,
          payload: { changes: [change] },
          timestamp: skewed(),
        },
        shipKey('ship-a'),
      ),
    );
    expect(await out.outcome('ship-a', change.changeId)).toMatchObject({
      status: 'applied',
      version: 3,
    });
    const { rows } = await db.query<{ future: number }>(
      `SELECT count(*)::int AS future FROM revisions WHERE document_id = $1 AND at > now() + interval '1 minute'`,
      [id],
    );
    expect(rows[0].future).toBe(0);
  });

  it('moves a ship state only forward: a replayed heartbeat does not bring a silent ship back', async () => {
    // Captured on the way: a genuine heartbeat of ship-b.
    const captured: Buffer[] = [];
    const capture = {
      send: async (record: Parameters<Producer['send']>[0]) => {
        for (const message of record.messages) captured.push(Buffer.from(message.value as Buffer));
        return producer.send(record);
      },
    } as Producer;
    const ship = createShips(fleet, capture).get('ship-b') as TestShip;
    await ship.heartbeat();
    await waitFor(
      async () =>
        body<ShipView>(await api(app, 'viewer').get('/api/offline-sync/ships/ship-b')).status ===
        'online',
      { timeoutMs: 30_000, description: 'ship-b online' },
    );
    await waitFor(
      async () =>
        body<ShipView>(await api(app, 'viewer').get('/api/offline-sync/ships/ship-b')).status ===
        'offline',
      { timeoutMs: 30_000, description: 'ship-b swept offline after going silent' },
    );
    const before = body<ShipView>(await api(app, 'viewer').get('/api/offline-sync/ships/ship-b'));
    // Someone replays the captured heartbeat.
    await producer.send({
      topic: fleet.config.topics.heartbeats,
      messages: captured.map((value) => ({ key: 'ship-b', value })),
    });
    await consumed(fleet.config.topics.heartbeats);
    const after = body<ShipView>(await api(app, 'viewer').get('/api/offline-sync/ships/ship-b'));
    expect(after.status).toBe('offline');
    expect(after.lastSeenAt).toBe(before.lastSeenAt);
  });
});
