import type { INestApplication } from '@nestjs/common';
import { MAX_DOCUMENT_BYTES, masterUpdateKey } from '@offline-sync/sync-core';
import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { kafkaBrokers, waitFor } from '../../../../test/harness/test-infra';
import { ShipConfig } from '../core/config/ship-config';
import { ShipDatabase } from '../core/database/ship-database.service';
import { UNSENT_CHANGE_COLUMNS } from '../outbox/sync-queue.table';
import { shipRows } from '../testing/ship-rows';
import {
  TestMaster,
  api,
  createShipTopics,
  createTestKeys,
  shipEnv,
  startShip,
} from '../testing/ship-test-kit';

type Status = { online: boolean; pending: number; failed: number; rejected: number };

/**
 * A change queued before the document size cap held on this ship (2 MiB, over the broker's 1 MiB
 * message limit even compressed) can never be sent: the relay keeps it as rejected, with its
 * reason, instead of failing it forever and holding every later change of the ship behind it.
 */
describe('ship relay: an oversized change already queued (real Kafka + SQLite)', () => {
  const keys = createTestKeys();
  let app: INestApplication | undefined;
  let master: TestMaster | undefined;

  afterAll(async () => {
    await app?.close();
    await master?.stop();
  });

  const status = async () =>
    (await api(app!).get('/api/offline-sync/status').expect(200)).body as Status;

  it('rejects it locally with its reason and sends the changes after it', async () => {
    const env = shipEnv(keys, kafkaBrokers());
    const config = ShipConfig.fromEnv(env);
    await createShipTopics(config, kafkaBrokers());
    master = await new TestMaster(config, keys, kafkaBrokers()).start();
    app = await startShip(env);
    await waitFor(async () => (await status()).online, {
      timeoutMs: 30_000,
      description: 'online',
    });

    // A note created by an earlier release, with text gzip cannot shrink.
    const big = uuidv7();
    const key = masterUpdateKey('note', big, '');
    const data = JSON.stringify({ text: randomBytes(1536 * 1024).toString('base64') });
    expect(Buffer.byteLength(data)).toBeGreaterThan(2 * 1024 * 1024);
    const now = new Date().toISOString();
    const db = app.get(ShipDatabase);
    await db.transaction(async (tx) => {
      await shipRows.insertDocuments(tx, [
        {
          key,
          type: 'note',
          documentId: big,
          locale: '',
          data,
          version: 0,
          deleted: false,
          syncState: 'pending',
          conflictId: null,
          conflictVersion: null,
          conflictAt: null,
          reason: null,
          heldVersion: null,
          heldUpdate: null,
          createdAt: now,
          updatedAt: now,
        },
      ]);
      await shipRows.insertChanges(tx, [
        {
          ...UNSENT_CHANGE_COLUMNS,
          changeId: uuidv7(),
          docKey: key,
          type: 'note',
          documentId: big,
          locale: '',
          op: 'create',
          baseVersion: 0,
          fields: data,
          editedAt: now,
          status: 'pending',
          seq: null,
          createdAt: now,
          updatedAt: now,
        },
      ]);
    });

    // Written after it: it reaches the master.
    const after = (
      (
        await api(app)
          .post('/api/content/note')
          .send({ data: { text: 'after the big one' } })
          .expect(201)
      ).body as { id: string }
    ).id;
    await waitFor(() => master!.changes.some((c) => c.documentId === after), {
      timeoutMs: 30_000,
      description: 'the change written after the oversized one at the master',
    });
    expect(master.changes.some((c) => c.documentId === big)).toBe(false);

    const row = (await db.read((tx) => shipRows.changes(tx))).find((c) => c.docKey === key);
    expect(row).toMatchObject({ status: 'rejected', messageId: null });
    expect(row?.reason).toMatch(
      new RegExp(`^too-large: fields is \\d+ bytes of JSON, over the ${MAX_DOCUMENT_BYTES}-byte`),
    );
    const doc = (await api(app).get(`/api/content/note/${big}`).expect(200)).body as {
      sync: { state: string; reason?: string };
    };
    expect(doc.sync.state).toBe('rejected');
    expect(doc.sync.reason).toMatch(/^too-large: /);
    expect(await status()).toMatchObject({ failed: 0, rejected: 1 });
  });
});
