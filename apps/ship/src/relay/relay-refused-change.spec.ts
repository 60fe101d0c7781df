import {
  exportPrivateKeyBase64,
  exportPublicKeyBase64,
  generateSigningKeyPair,
  masterUpdateKey,
  type OutgoingEnvelope,
} from '@offline-sync/sync-core';
import { EMPTY } from 'rxjs';
import { v7 as uuidv7 } from 'uuid';
import type { ConnectivityService } from '../connectivity/connectivity.service';
import { DocumentsRepository } from '../documents/documents.repository';
import { ShipConfig } from '../core/config/ship-config';
import { ShipClock } from '../core/clock/ship-clock';
import { ShipDatabase } from '../core/database/ship-database.service';
import { SyncMetaRepository } from '../core/database/sync-meta.repository';
import type { ShipPublisher } from '../core/kafka/ship-publisher';
import type { ShipMetrics } from '../metrics/ship-metrics.service';
import { OutboxChangesRepository } from '../outbox/outbox-changes.repository';
import { UNSENT_CHANGE_COLUMNS } from '../outbox/sync-queue.table';
import { shipRows } from '../testing/ship-rows';
import { openInMemoryShipDatabase, type ShipTestDatabase } from '../testing/ship-test-database';
import { EnvelopeMarks } from './envelope-marks';
import { EnvelopePublisher } from './envelope-publisher';
import { EnvelopeSealer } from './envelope-sealer';
import { EnvelopesRepository } from './envelopes.repository';
import { FailedRequeue } from './failed-requeue';
import { SendLine } from './send-line';
import type { OutcomeReaskService } from './outcome-reask.service';
import { RelayService } from './relay.service';

/**
 * A change the ship itself refuses to send (it fails the wire contract) is kept as rejected, and
 * its document shows that — on a real (in-memory) SQLite database, the broker replaced by a
 * recorder.
 */
describe('RelayService: a change that fails the wire contract', () => {
  const ship = generateSigningKeyPair();
  const master = generateSigningKeyPair();
  const config = ShipConfig.fromEnv({
    SYNC_SHIP_ID: 'ship-unit',
    SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(ship.privateKey),
    SYNC_MASTER_PUBLIC_KEY: exportPublicKeyBase64(master.publicKey),
    SYNC_CONTENT_TYPES: JSON.stringify({ note: { localized: false } }),
    KAFKA_BROKERS: '127.0.0.1:1',
    DATABASE_FILENAME: ':memory:',
  });
  let database: ShipTestDatabase;
  let relay: RelayService;
  let sent: OutgoingEnvelope[];

  beforeEach(async () => {
    database = await openInMemoryShipDatabase();
    sent = [];
    const publisher = {
      publish: (_topic: string, envelopes: OutgoingEnvelope[]) => {
        sent.push(...envelopes);
        return Promise.resolve([]);
      },
    } as unknown as ShipPublisher;
    const connectivity = { changes: EMPTY, isOnline: () => true } as unknown as ConnectivityService;
    const metrics = {
      messages: { inc: () => undefined },
      sendDuration: { startTimer: () => () => 0 },
    } as unknown as ShipMetrics;
    const db = new ShipDatabase(database.connection);
    const meta = new SyncMetaRepository();
    const changes = new OutboxChangesRepository();
    const envelopes = new EnvelopesRepository();
    const clock = new ShipClock(config);
    relay = new RelayService(
      config,
      connectivity,
      { sealDue: () => Promise.resolve(0) } as unknown as OutcomeReaskService,
      new EnvelopeSealer(
        config,
        db,
        meta,
        changes,
        envelopes,
        new DocumentsRepository(),
        clock,
        ship.privateKey,
      ),
      new SendLine(config, db, envelopes),
      new EnvelopePublisher(config, publisher, metrics, clock),
      new EnvelopeMarks(db, changes, envelopes, meta, metrics),
      new FailedRequeue(db, changes, envelopes),
    );
  });

  afterEach(async () => {
    await relay.beforeApplicationShutdown();
    await database.close();
  });

  async function document(name: string, version = 0): Promise<string> {
    const documentId = uuidv7();
    const key = masterUpdateKey('note', documentId, '');
    const now = new Date().toISOString();
    await shipRows.insertDocuments(database.db, [
      {
        key,
        type: 'note',
        documentId,
        locale: '',
        data: JSON.stringify({ name }),
        version,
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
    return key;
  }

  async function change(
    key: string,
    op: 'create' | 'update',
    fields: Record<string, unknown>,
    baseVersion = 0,
  ): Promise<string> {
    const found = await doc(key);
    const changeId = uuidv7();
    const now = new Date().toISOString();
    await shipRows.insertChanges(database.db, [
      {
        ...UNSENT_CHANGE_COLUMNS,
        changeId,
        docKey: key,
        type: found.type,
        documentId: found.documentId,
        locale: '',
        op,
        baseVersion,
        fields: JSON.stringify(fields),
        editedAt: now,
        status: 'pending',
        seq: null,
        createdAt: now,
        updatedAt: now,
      },
    ]);
    return changeId;
  }

  const doc = (key: string) => shipRows.document(database.db, key);
  const row = (changeId: string) => shipRows.change(database.db, changeId);

  it('marks the change rejected and the document rejected with the reason; the rest is sent', async () => {
    const good = await document('good');
    const bad = await document('bad', 3);
    const goodChange = await change(good, 'create', { name: 'good' });
    // An update must carry at least one changed field: this one fails the wire contract.
    const badChange = await change(bad, 'update', {}, 3);

    await relay.flush();

    expect(await row(badChange)).toMatchObject({ status: 'rejected', messageId: null });
    expect((await row(badChange)).reason).toMatch(/^invalid-change: /);
    const refused = await doc(bad);
    expect(refused).toMatchObject({ syncState: 'rejected', version: 3 });
    expect(refused.reason).toMatch(/^invalid-change: /);

    expect(await row(goodChange)).toMatchObject({ status: 'sent' });
    expect(await doc(good)).toMatchObject({ syncState: 'pending', reason: null });
    expect(sent).toHaveLength(1);
  });

  it('keeps the document pending while a later change of it still waits for the master', async () => {
    const key = await document('twice', 2);
    const badChange = await change(key, 'update', {}, 2);
    const laterChange = await change(key, 'update', { name: 'twice, again' }, 2);

    await relay.flush();

    expect(await row(badChange)).toMatchObject({ status: 'rejected' });
    expect(await row(laterChange)).toMatchObject({ status: 'sent' });
    // Pending (the later edit waits), with the refusal's reason on record as for a master rejection.
    const waiting = await doc(key);
    expect(waiting).toMatchObject({ syncState: 'pending', version: 2 });
    expect(waiting.reason).toMatch(/^invalid-change: /);
  });
});
