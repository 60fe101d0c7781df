import type { INestApplication } from '@nestjs/common';
import {
  MessageKind,
  signEnvelope,
  type ChangeOutcomeDto,
  type EnvelopeMessageDto,
  type EnvelopeOf,
  type ShipChangeDto,
} from '@offline-sync/sync-core';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import request from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import { createTestDatabase, dropTestDatabase, waitFor } from '../../../../test/harness/test-infra';
import { API_KEYS, createFleet, type Fleet } from '../../test/master-test-kit';
import { IngestService } from '../ingest/ingest.service';
import { createMasterApp } from '../master.app';
import { purgeMasterHistory } from './master-purge';
import { MasterRetention } from './master-retention.service';

const SHIP = 'ship-a';
/** Well past the default 90-day horizon. */
const AGE = "interval '100 days'";

/**
 * The master's purge of settled history on a real PostgreSQL (docs/protocol.md, "Retention"):
 * what is older than SYNC_RETENTION_DAYS goes, while open conflicts, the outcomes they hold, the
 * revisions any of them or a ship dark for less than the horizon could need, and every
 * document's latest revision stay. Afterwards a redelivered old envelope is answered, never
 * applied again, and a change based on purged history is decided conservatively.
 */
describe('master purge of settled history (real PostgreSQL)', () => {
  let databaseUrl: string;
  let fleet: Fleet;
  let app: INestApplication;
  let db: Client;
  let seq = 0;
  let offset = 0;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase('master_retention');
    fleet = createFleet(databaseUrl, [SHIP]);
    app = await createMasterApp(fleet.config);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  });

  const http = () => request(app.getHttpServer() as Parameters<typeof request>[0]);

  function change(
    op: ShipChangeDto['op'],
    documentId: string,
    baseVersion: number,
    fields: Record<string, unknown>,
  ): ShipChangeDto {
    seq += 1;
    return {
      changeId: uuidv7(),
      seq,
      op,
      type: 'article',
      documentId,
      locale: 'en',
      baseVersion,
      fields,
      editedAt: new Date().toISOString(),
    };
  }

  function envelope(...changes: ShipChangeDto[]): EnvelopeOf<MessageKind.ShipChanges> {
    return signEnvelope(
      { sender: SHIP, kind: MessageKind.ShipChanges, payload: { changes } },
      fleet.ships.get(SHIP)!.privateKey,
    );
  }

  /** Ingests envelopes as the consumer would hand them over; returns the outcomes it sends. */
  async function ingest(
    ...envelopes: EnvelopeOf<MessageKind.ShipChanges>[]
  ): Promise<ChangeOutcomeDto[]> {
    const messages = envelopes.map((value): EnvelopeMessageDto => {
      const raw = JSON.stringify(value);
      offset += 1;
      return {
        offset: String(offset),
        key: SHIP,
        timestamp: String(Date.now()),
        headers: {},
        size: raw.length,
        value: value as unknown as Record<string, unknown>,
        raw,
      };
    });
    const summary = await app
      .get(IngestService)
      .ingestBatch(messages, { topic: fleet.config.topics.shipUpdates, partition: 0 });
    return summary.plan?.outbound.get(SHIP) ?? [];
  }

  async function patch(id: string, fields: Record<string, unknown>): Promise<void> {
    await http()
      .patch(`/api/content/article/${id}?locale=en`)
      .set('X-API-Key', API_KEYS.operator)
      .send({ data: fields })
      .expect(200);
  }

  const rows = async <T>(sql: string, values: unknown[] = []): Promise<T[]> =>
    (await db.query(sql, values)).rows as T[];
  const versions = async (id: string): Promise<number[]> =>
    (
      await rows<{ version: number }>(
        'SELECT version FROM revisions WHERE document_id = $1 ORDER BY version',
        [id],
      )
    ).map((r) => r.version);

  it('purges what is older than the horizon, keeps what is needed, and stays safe after', async () => {
    const [a, b, c] = [uuidv7(), uuidv7(), uuidv7()];

    // --- History that will be old: creates, an edit, an open conflict, a resolved one.
    const created = envelope(
      change('create', a, 0, { title: 'A' }),
      change('create', b, 0, { title: 'B' }),
      change('create', c, 0, { title: 'C' }),
    );
    expect((await ingest(created)).map((o) => o.status)).toEqual(['applied', 'applied', 'applied']);
    expect((await ingest(envelope(change('update', a, 1, { body: 'ship' }))))[0]).toMatchObject({
      status: 'applied',
      version: 2,
    });
    await patch(b, { body: 'shore' });
    const openConflict = envelope(change('update', b, 1, { body: 'ship' }));
    const [bOutcome] = await ingest(openConflict);
    expect(bOutcome).toMatchObject({ status: 'conflict' });
    await patch(c, { body: 'shore' });
    const [cOutcome] = await ingest(envelope(change('update', c, 1, { body: 'ship' })));
    expect(cOutcome).toMatchObject({ status: 'conflict' });
    await http()
      .post(`/api/offline-sync/conflicts/${cOutcome.conflictId}/resolve`)
      .set('X-API-Key', API_KEYS.operator)
      .send({ strategy: 'keep-master' })
      .expect(200);
    await db.query(
      `INSERT INTO dead_letters (topic, partition, "offset", value, value_encoding, reason, detail, status, updated_at)
       VALUES ('t', 0, 1, '{}', 'utf8', 'bad-signature', 'old, resolved', 'resolved', now() - ${AGE}),
              ('t', 0, 2, '{}', 'utf8', 'bad-signature', 'old, exhausted', 'exhausted', now() - ${AGE}),
              ('t', 0, 3, '{}', 'utf8', 'bad-signature', 'old, pending', 'pending', now() - ${AGE}),
              ('t', 0, 4, '{}', 'utf8', 'bad-signature', 'lately resolved', 'resolved', now())`,
    );
    // It all happened long ago.
    await db.query(`UPDATE processed_envelopes SET received_at = now() - ${AGE}`);
    await db.query(`UPDATE change_outcomes SET recorded_at = now() - ${AGE}`);
    await db.query(`UPDATE revisions SET recorded_at = now() - ${AGE}`);
    await db.query(
      `UPDATE conflicts SET created_at = now() - ${AGE},
         resolved_at = CASE WHEN status = 'resolved' THEN now() - ${AGE} END`,
    );

    // --- Recent history: a shore edit of A and a new document.
    await patch(a, { title: 'A, lately' });
    const d = uuidv7();
    await ingest(envelope(change('create', d, 0, { title: 'D' })));

    const before = {
      envelopes: await rows<{ message_id: string }>('SELECT message_id FROM processed_envelopes'),
      outcomes: await rows<{ seq: string }>('SELECT seq FROM change_outcomes ORDER BY seq'),
    };
    expect(before.envelopes).toHaveLength(5);
    expect(before.outcomes.map((o) => Number(o.seq))).toEqual([1, 2, 3, 4, 5, 6, 7]);

    // A revision the outbox has still to send stays: let the relay send everything first.
    await waitFor(
      async () =>
        (await rows("SELECT 1 FROM outbox WHERE status = 'pending' LIMIT 1")).length === 0,
      { timeoutMs: 30_000, description: 'the master outbox sent' },
    );
    const retention = app.get(MasterRetention);
    const counts = await retention.run();
    expect(counts).toEqual({
      processedEnvelopes: 4,
      changeOutcomes: 5,
      conflicts: 1,
      revisions: 3,
      deadLetters: 1,
    });

    // Outcomes: gone but for the open conflict's and the recent one; the ship's mark remembers.
    expect(
      (await rows<{ seq: string }>('SELECT seq FROM change_outcomes ORDER BY seq')).map((o) =>
        Number(o.seq),
      ),
    ).toEqual([5, 7]);
    expect(
      await rows('SELECT outcomes_purged_through::int AS through FROM ship_sequences'),
    ).toEqual([{ through: 6 }]);
    // Conflicts: the open one stays, the one resolved long ago goes.
    expect(await rows('SELECT id, status FROM conflicts')).toEqual([
      { id: bOutcome.conflictId, status: 'open' },
    ]);
    // Revisions: the latest of each document; A's v2 until v3 is older than the horizon; B's
    // from the open conflict's base on.
    expect(await versions(a)).toEqual([2, 3]);
    expect(await versions(b)).toEqual([1, 2]);
    expect(await versions(c)).toEqual([3]);
    expect(await versions(d)).toEqual([1]);
    expect(
      (await rows<{ detail: string }>('SELECT detail FROM dead_letters ORDER BY "offset"')).map(
        (l) => l.detail,
      ),
    ).toEqual(['old, exhausted', 'old, pending', 'lately resolved']);

    // Nothing left to purge.
    expect(await retention.run()).toEqual({
      processedEnvelopes: 0,
      changeOutcomes: 0,
      conflicts: 0,
      revisions: 0,
      deadLetters: 0,
    });

    // --- After the purge. The first envelope again: answered as expired, nothing applied.
    const documentsBefore = await rows('SELECT id, version, data FROM documents ORDER BY id');
    const cBefore = await rows('SELECT version, data FROM documents WHERE id = $1', [c]);
    const again = await ingest(created);
    expect(again.map((o) => [o.seq, o.status, o.reason?.split(':')[0]])).toEqual([
      [1, 'rejected', 'outcome-expired'],
      [2, 'rejected', 'outcome-expired'],
      [3, 'rejected', 'outcome-expired'],
    ]);
    expect(await rows('SELECT id, version, data FROM documents ORDER BY id')).toEqual(
      documentsBefore,
    );
    // The open conflict's change again: its recorded outcome.
    expect(await ingest(openConflict)).toEqual([bOutcome]);
    // New changes are decided as ever; one based on purged history is a conflict, not applied.
    const [onTop] = await ingest(envelope(change('update', a, 3, { body: 'later' })));
    expect(onTop).toMatchObject({ seq: 8, status: 'applied', version: 4 });
    const [stale] = await ingest(envelope(change('update', c, 1, { body: 'from long ago' })));
    expect(stale).toMatchObject({ seq: 9, status: 'conflict' });
    expect(await rows('SELECT version, data FROM documents WHERE id = $1', [c])).toEqual(cBefore);
  });

  it('walks the revisions a page at a time, whatever the page size', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await http()
        .post('/api/content/article')
        .set('X-API-Key', API_KEYS.operator)
        .send({ data: { title: `paged ${i}` }, locale: 'en' })
        .expect(201);
      const id = (created.body as { id: string }).id;
      await patch(id, { body: 'second' });
      await patch(id, { body: 'third' });
      ids.push(id);
    }
    await waitFor(
      async () =>
        (await rows("SELECT 1 FROM outbox WHERE status = 'pending' LIMIT 1")).length === 0,
      { timeoutMs: 30_000, description: 'the master outbox sent' },
    );
    await db.query(
      `UPDATE revisions SET recorded_at = now() - ${AGE} WHERE document_id = ANY($1::uuid[])`,
      [ids],
    );
    const runner = app.get(DataSource).createQueryRunner();
    await runner.connect();
    try {
      const [{ cutoff }] = (await runner.query(
        `SELECT (now() - interval '90 days')::text AS cutoff`,
      )) as [{ cutoff: string }];
      const counts = await purgeMasterHistory(runner, cutoff, { batch: 1 });
      expect(counts.revisions).toBe(6);
    } finally {
      await runner.release();
    }
    for (const id of ids) expect(await versions(id)).toEqual([3]);
  });

  it('runs on one replica at a time (PostgreSQL advisory lock)', async () => {
    const holder = new Client({ connectionString: databaseUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(727005)');
      expect(await app.get(MasterRetention).run()).toBeNull();
      await holder.query('SELECT pg_advisory_unlock(727005)');
      expect(await app.get(MasterRetention).run()).not.toBeNull();
    } finally {
      await holder.end();
    }
  });
});
