import {
  exportPrivateKeyBase64,
  exportPublicKeyBase64,
  generateSigningKeyPair,
  masterUpdateKey,
  type OutgoingEnvelope,
} from '@offline-sync/sync-core';
import { EMPTY } from 'rxjs';
import type { ConnectivityService } from '../connectivity/connectivity.service';
import { ShipClock } from '../core/clock/ship-clock';
import { ShipConfig } from '../core/config/ship-config';
import { ShipDatabase } from '../core/database/ship-database.service';
import { SyncMetaRepository } from '../core/database/sync-meta.repository';
import type { ShipPublisher } from '../core/kafka/ship-publisher';
import { DocumentsRepository } from '../documents/documents.repository';
import type { ShipMetrics } from '../metrics/ship-metrics.service';
import { OutboxChangesRepository } from '../outbox/outbox-changes.repository';
import { UNSENT_CHANGE_COLUMNS, type NewOutboxChange } from '../outbox/sync-queue.table';
import { openInMemoryShipDatabase, type ShipTestDatabase } from '../testing/ship-test-database';
import { EnvelopeMarks } from './envelope-marks';
import { EnvelopePublisher } from './envelope-publisher';
import { EnvelopeSealer } from './envelope-sealer';
import { EnvelopesRepository } from './envelopes.repository';
import { FailedRequeue } from './failed-requeue';
import type { OutcomeReaskService } from './outcome-reask.service';
import { RelayService } from './relay.service';
import { SendLine } from './send-line';

/**
 * SQLite prepares a program per distinct statement text and the ship keeps 200 of them: flushing
 * a backlog must run a few texts again and again (values bound, IN lists of a few sizes), not a
 * text per envelope or per list length (core/database/statement-sizes).
 */
describe('RelayService: statement texts while a backlog is flushed', () => {
  const ship = generateSigningKeyPair();
  const config = ShipConfig.fromEnv({
    SYNC_SHIP_ID: 'ship-unit',
    SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(ship.privateKey),
    SYNC_MASTER_PUBLIC_KEY: exportPublicKeyBase64(generateSigningKeyPair().publicKey),
    SYNC_CONTENT_TYPES: JSON.stringify({ note: { localized: false } }),
    SYNC_BATCH_SIZE: '37',
    KAFKA_BROKERS: '127.0.0.1:1',
    DATABASE_FILENAME: ':memory:',
  });
  let database: ShipTestDatabase;
  const texts = new Set<string>();
  let statements = 0;

  beforeEach(async () => {
    database = await openInMemoryShipDatabase({
      onQuery: (sql) => {
        texts.add(sql);
        statements += 1;
      },
    });
  });

  afterEach(() => database.close());

  function relayOn(sent: OutgoingEnvelope[]): RelayService {
    const db = new ShipDatabase(database.connection);
    const meta = new SyncMetaRepository();
    const changes = new OutboxChangesRepository();
    const envelopes = new EnvelopesRepository();
    const clock = new ShipClock(config);
    const publisher = {
      publish: (_topic: string, group: OutgoingEnvelope[]) => {
        sent.push(...group);
        return Promise.resolve([]);
      },
    } as unknown as ShipPublisher;
    const metrics = {
      messages: { inc: () => undefined },
      sendDuration: { startTimer: () => () => 0 },
    } as unknown as ShipMetrics;
    const sealer = new EnvelopeSealer(
      config,
      db,
      meta,
      changes,
      envelopes,
      new DocumentsRepository(),
      clock,
      ship.privateKey,
    );
    return new RelayService(
      config,
      { changes: EMPTY, isOnline: () => true } as unknown as ConnectivityService,
      { sealDue: () => Promise.resolve(0) } as unknown as OutcomeReaskService,
      sealer,
      new SendLine(config, db, envelopes),
      new EnvelopePublisher(config, publisher, metrics, clock),
      new EnvelopeMarks(db, changes, envelopes, meta, metrics),
      new FailedRequeue(db, changes, envelopes),
    );
  }

  const change = (n: number): NewOutboxChange => {
    const documentId = `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
    return {
      ...UNSENT_CHANGE_COLUMNS,
      changeId: documentId,
      docKey: masterUpdateKey('note', documentId, ''),
      type: 'note',
      documentId,
      locale: '',
      op: 'create',
      baseVersion: 0,
      fields: JSON.stringify({ n }),
      editedAt: '2026-01-01T00:00:00.000Z',
      status: 'pending',
      seq: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
  };

  it('runs a few dozen texts for thousands of changes in a hundred envelopes', async () => {
    const backlog = Array.from({ length: 3700 }, (_, n) => change(n));
    await new OutboxChangesRepository().insert(database.db, backlog);
    texts.clear();
    statements = 0;
    const sent: OutgoingEnvelope[] = [];
    const relay = relayOn(sent);

    await relay.flush();
    await relay.beforeApplicationShutdown();

    expect(sent).toHaveLength(100);
    expect(statements).toBeGreaterThan(300);
    expect(texts.size).toBeLessThan(40);
  });
});
