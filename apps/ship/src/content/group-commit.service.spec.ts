import { ConflictException, NotFoundException } from '@nestjs/common';
import {
  DocumentTooLargeException,
  MAX_DOCUMENT_BYTES,
  exportPrivateKeyBase64,
  exportPublicKeyBase64,
  generateSigningKeyPair,
  masterUpdateKey,
} from '@offline-sync/sync-core';
import { ShipClock } from '../core/clock/ship-clock';
import { ShipConfig } from '../core/config/ship-config';
import { ShipDatabase } from '../core/database/ship-database.service';
import type { OutboxChange } from '../outbox/sync-queue.table';
import { DocumentsRepository } from '../documents/documents.repository';
import { OutboxChangesRepository } from '../outbox/outbox-changes.repository';
import { openInMemoryShipDatabase, type ShipTestDatabase } from '../testing/ship-test-database';
import { shipRows } from '../testing/ship-rows';
import type { ContentWrite, ContentWriteOutcome } from './content-write';
import { ContentWriter } from './content-writer';
import type { StoredDocument } from '../documents/documents.table';
import { GroupCommitService } from './group-commit.service';

/**
 * Concurrent crew writes committed together, on a real (in-memory) SQLite database: each write's
 * outcome is what it would have been alone, a refused write leaves no trace and does not fail the
 * others, and the outbox keeps write order and coalescing.
 */
describe('GroupCommitService', () => {
  const keys = generateSigningKeyPair();
  const env = {
    SYNC_SHIP_ID: 'ship-unit',
    SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(keys.privateKey),
    SYNC_MASTER_PUBLIC_KEY: exportPublicKeyBase64(generateSigningKeyPair().publicKey),
    SYNC_CONTENT_TYPES: JSON.stringify({ note: { localized: false } }),
    KAFKA_BROKERS: '127.0.0.1:1',
    DATABASE_FILENAME: ':memory:',
  };
  const config = ShipConfig.fromEnv(env);
  let database: ShipTestDatabase;
  let writes: GroupCommitService;
  let db: ShipDatabase;
  let transactions: number;

  const create = (id: string, data: Record<string, unknown>): ContentWrite => ({
    op: 'create',
    key: masterUpdateKey('note', id, ''),
    type: 'note',
    documentId: id,
    locale: '',
    data: JSON.stringify(data),
    fields: data,
    newId: false,
  });
  const update = (id: string, patch: Record<string, unknown>): ContentWrite => ({
    op: 'update',
    key: masterUpdateKey('note', id, ''),
    type: 'note',
    documentId: id,
    locale: '',
    patch,
  });
  const remove = (id: string): ContentWrite => ({
    op: 'delete',
    key: masterUpdateKey('note', id, ''),
    type: 'note',
    documentId: id,
    locale: '',
  });
  /** Submits all writes in one tick, so they queue behind one another's transaction. */
  const submitAll = (list: ContentWrite[]): Promise<ContentWriteOutcome[]> =>
    Promise.all(list.map((write) => writes.submit(write)));
  const queue = (): Promise<OutboxChange[]> => shipRows.changes(database.db);
  const document = (id: string): Promise<StoredDocument | null> =>
    new DocumentsRepository().find(database.db, masterUpdateKey('note', id, ''));
  const writer = (settings: ShipConfig): ContentWriter =>
    new ContentWriter(
      settings,
      new ShipClock(settings),
      new DocumentsRepository(),
      new OutboxChangesRepository(),
    );

  beforeEach(async () => {
    database = await openInMemoryShipDatabase();
    db = new ShipDatabase(database.connection);
    transactions = 0;
    const counted = Object.assign(Object.create(db) as ShipDatabase, {
      transaction: (work: Parameters<ShipDatabase['transaction']>[0]) => {
        transactions += 1;
        return db.transaction(work);
      },
    });
    writes = new GroupCommitService(counted, writer(config), config);
  });

  afterEach(async () => {
    await database.close();
  });

  it('commits writes that arrive together in one transaction, outbox rows in write order', async () => {
    const ids = Array.from(
      { length: 20 },
      (_, i) => `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
    );
    const outcomes = await submitAll(ids.map((id, n) => create(id, { n })));

    expect(outcomes.every((o) => o.ok)).toBe(true);
    // A group is taken when its transaction starts: all 20 were queued by then.
    expect(transactions).toBe(1);
    expect((await queue()).map((row) => row.documentId)).toEqual(ids);
    expect(JSON.parse((await document(ids[7]))!.data)).toEqual({ n: 7 });
  });

  it('writes that arrive while other work holds the database share one commit', async () => {
    let release!: () => void;
    const held = db.read(() => new Promise<void>((resolve) => (release = resolve)));
    const pending: Promise<ContentWriteOutcome>[] = [];
    for (let n = 0; n < 5; n += 1) {
      pending.push(writes.submit(create(`00000000-0000-7000-8000-00000000000${n}`, { n })));
      await new Promise((resolve) => setImmediate(resolve));
    }
    release();
    await held;

    expect((await Promise.all(pending)).every((o) => o.ok)).toBe(true);
    expect(transactions).toBe(1);
    expect(await queue()).toHaveLength(5);
  });

  it('refuses a write on its own: the others of its group are committed, it leaves nothing', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((s) => `00000000-0000-7000-8000-00000000000${s}`);
    await submitAll([create(a, { v: 1 })]);
    const before = await queue();

    const outcomes = await submitAll([
      create(b, { v: 1 }),
      create(a, { v: 2 }), // exists
      update(c, { v: 1 }), // does not exist
      update(b, { big: 'x'.repeat(MAX_DOCUMENT_BYTES) }), // too large
      update(b, { v: 3 }),
    ]);

    expect(outcomes.map((o) => (o.ok ? 'ok' : (o.error as Error).constructor.name))).toEqual([
      'ok',
      ConflictException.name,
      NotFoundException.name,
      DocumentTooLargeException.name,
      'ok',
    ]);
    expect(JSON.parse((await document(a))!.data)).toEqual({ v: 1 });
    expect(JSON.parse((await document(b))!.data)).toEqual({ v: 3 });
    expect(await document(c)).toBeNull();
    const rows = await queue();
    expect(rows.slice(0, before.length)).toEqual(before);
    // b's create and its update fold into one unsent change.
    expect(
      rows.slice(before.length).map((r) => [r.documentId, r.op, JSON.parse(r.fields) as unknown]),
    ).toEqual([[b, 'create', { v: 3 }]]);
  });

  it("stamps edit times with the ship's clock (SYNC_TEST_CLOCK_OFFSET_MS)", async () => {
    const skewed = ShipConfig.fromEnv({ ...env, SYNC_TEST_CLOCK_OFFSET_MS: '-7200000' });
    const skewedWrites = new GroupCommitService(db, writer(skewed), skewed);
    const id = '00000000-0000-7000-8000-0000000000aa';
    const before = Date.now();
    await skewedWrites.submit(create(id, { v: 1 }));
    const after = Date.now();

    const [row] = await queue();
    const editedAt = Date.parse(row.editedAt);
    expect(editedAt).toBeGreaterThanOrEqual(before - 7_200_000);
    expect(editedAt).toBeLessThanOrEqual(after - 7_200_000);
    // The ship's own bookkeeping (the document's row time) stays on the machine's clock.
    const updatedAt = Date.parse((await document(id))!.updatedAt);
    expect(updatedAt).toBeGreaterThanOrEqual(before);
    expect(updatedAt).toBeLessThanOrEqual(after);
  });

  it('folds edits into the unsent change, within a group and across groups', async () => {
    const [a, b] = ['a', 'b'].map((s) => `00000000-0000-7000-8000-00000000000${s}`);
    await submitAll([create(a, { x: 1 }), create(b, { x: 1 })]);
    const created = await queue();

    const outcomes = await submitAll([
      update(a, { y: 2 }),
      update(a, { x: 1 }), // no change: nothing to queue
      update(a, { z: 3 }),
      remove(b), // a create never sent, then a delete: nothing to send
      update(b, { x: 2 }), // deleted meanwhile
    ]);

    expect(outcomes.map((o) => o.ok && o.changed)).toEqual([true, false, true, true, false]);
    const rows = await queue();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: created[0].id, op: 'create', status: 'pending' });
    expect(JSON.parse(rows[0].fields)).toEqual({ x: 1, y: 2, z: 3 });
    expect(await document(b)).toMatchObject({ deleted: true, syncState: 'pending' });
  });

  describe('the seeded defect SYNC_CHAOS_DEFECT=ack-before-commit (fault-injection self-check)', () => {
    it('is refused unless NODE_ENV=test, naming it', () => {
      expect(() => ShipConfig.fromEnv({ ...env, SYNC_CHAOS_DEFECT: 'ack-before-commit' })).toThrow(
        /^Invalid configuration: SYNC_CHAOS_DEFECT .*NODE_ENV=test/,
      );
      expect(() =>
        ShipConfig.fromEnv({ ...env, NODE_ENV: 'test', SYNC_CHAOS_DEFECT: 'lose-everything' }),
      ).toThrow(/^Invalid configuration: SYNC_CHAOS_DEFECT /);
      expect(ShipConfig.fromEnv(env).chaosDefect).toBeNull();
    });

    it('answers a crew write while its transaction is still open', async () => {
      const defective = ShipConfig.fromEnv({
        ...env,
        NODE_ENV: 'test',
        SYNC_CHAOS_DEFECT: 'ack-before-commit',
      });
      const acking = new GroupCommitService(db, writer(defective), defective);
      const connection = database.connection.sqlite as { inTransaction: boolean };

      const outcome = await acking.submit(create('00000000-0000-7000-8000-0000000000bb', { v: 1 }));

      expect(outcome.ok).toBe(true);
      expect(connection.inTransaction).toBe(true);
      await db.read(() => Promise.resolve()); // behind the held commit
      expect(connection.inTransaction).toBe(false);
    });
  });
});
