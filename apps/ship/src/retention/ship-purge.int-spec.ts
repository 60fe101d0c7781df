import type { DataSource } from 'typeorm';
import { DocumentEntity } from '../content/entities/document.entity';
import type { ShipConfig } from '../core/config/ship-config';
import { ShipDatabase } from '../core/database/ship-database.service';
import { DeadLetterEntity } from '../dead-letters/entities/dead-letter.entity';
import { OutboxChangeEntity, type OutboxStatus } from '../outbox/entities/outbox-change.entity';
import {
  OutboxEnvelopeEntity,
  type EnvelopeStatus,
} from '../relay/entities/outbox-envelope.entity';
import { documentOf } from '../testing/ship-row-fixtures';
import { openShipTestDatabase, type ShipTestDatabase } from '../testing/ship-test-database';
import { purgeShipHistory } from './ship-purge';
import { ShipRetention } from './ship-retention.service';

const OLD = '2026-01-10T00:00:00.000Z';
const CUTOFF = '2026-04-01T00:00:00.000Z';
const RECENT = '2026-05-01T00:00:00.000Z';

/** Documents: one with its conflict still open, one whose conflict was resolved. */
const OPEN_CONFLICT = Object.assign(documentOf(1), {
  syncState: 'conflict',
  conflictId: 'conflict-open',
});
const RESOLVED = Object.assign(documentOf(2), {
  syncState: 'synced',
  conflictId: 'conflict-resolved',
});

interface Row {
  label: string;
  status: OutboxStatus;
  at: string;
  doc?: DocumentEntity;
  conflictId?: string;
  messageId?: string;
}

/** Queue rows in id order; `kept` says whether the purge must leave it. */
const ROWS: (Row & { kept: boolean })[] = [
  { label: 'applied long ago', status: 'applied', at: OLD, messageId: 'env-done', kept: false },
  { label: 'applied lately', status: 'applied', at: RECENT, messageId: 'env-recent', kept: true },
  { label: 'rejected long ago', status: 'rejected', at: OLD, messageId: 'env-done', kept: false },
  {
    label: 'conflict still open',
    status: 'conflict',
    at: OLD,
    doc: OPEN_CONFLICT,
    conflictId: 'conflict-open',
    kept: true,
  },
  {
    label: 'conflict resolved',
    status: 'conflict',
    at: OLD,
    doc: RESOLVED,
    conflictId: 'conflict-resolved',
    kept: false,
  },
  { label: 'sent, no outcome', status: 'sent', at: OLD, messageId: 'env-waiting', kept: true },
  { label: 'failed', status: 'failed', at: OLD, messageId: 'env-failed', kept: true },
  { label: 'pending', status: 'pending', at: OLD, kept: true },
  { label: 'sending', status: 'sending', at: OLD, messageId: 'env-pending', kept: true },
  ...Array.from({ length: 7 }, (_, i) => ({
    label: `applied long ago ${i}`,
    status: 'applied' as const,
    at: OLD,
    messageId: 'env-done',
    kept: false,
  })),
];

/** Envelopes; `kept` as above. */
const ENVELOPES: { id: string; status: EnvelopeStatus; sentAt: string | null; kept: boolean }[] = [
  { id: 'env-done', status: 'sent', sentAt: OLD, kept: false },
  { id: 'env-emptied', status: 'sent', sentAt: OLD, kept: false },
  { id: 'env-waiting', status: 'sent', sentAt: OLD, kept: true },
  { id: 'env-recent', status: 'sent', sentAt: RECENT, kept: true },
  { id: 'env-failed', status: 'failed', sentAt: null, kept: true },
  { id: 'env-pending', status: 'pending', sentAt: null, kept: true },
];

function changeRow(row: Row, i: number): OutboxChangeEntity {
  const doc = row.doc ?? documentOf(3);
  const settled = ['applied', 'rejected', 'conflict'].includes(row.status);
  return Object.assign(new OutboxChangeEntity(), {
    changeId: `00000000-0000-7000-8000-${String(i + 1).padStart(12, '0')}`,
    docKey: doc.key,
    type: doc.type,
    documentId: doc.documentId,
    locale: doc.locale,
    op: 'update',
    baseVersion: 1,
    fields: JSON.stringify({ label: row.label }),
    editedAt: row.at,
    status: row.status,
    seq: row.status === 'pending' ? null : i + 1,
    messageId: row.messageId ?? null,
    attempts: 0,
    lastError: null,
    outcomeVersion: row.status === 'applied' ? 2 : null,
    conflictId: row.conflictId ?? null,
    reason: row.status === 'rejected' ? 'invalid-data: n' : null,
    createdAt: row.at,
    updatedAt: row.at,
    sentAt: row.status === 'pending' ? null : row.at,
    settledAt: settled ? row.at : null,
  });
}

function deadLetter(at: string, offset: number): DeadLetterEntity {
  return Object.assign(new DeadLetterEntity(), {
    topic: 'master-updates',
    partition: 0,
    offset: String(offset),
    key: null,
    value: '{}',
    valueEncoding: 'utf8',
    headers: '{}',
    reason: 'malformed',
    detail: 'not an envelope',
    sender: null,
    messageId: null,
    createdAt: at,
  });
}

/**
 * The ship's purge of settled history on a real database (SQLite file, PostgreSQL): what is
 * older than the horizon and settled goes, in batches; whatever awaits the master, a conflict
 * still open, recent history and every document stay.
 */
describe.each(['sqlite', 'postgres'] as const)('ship purge of settled history (%s)', (client) => {
  let database: ShipTestDatabase;
  let dataSource: DataSource;
  let db: ShipDatabase;

  beforeAll(async () => {
    database = await openShipTestDatabase(client, 'ship_purge');
    dataSource = database.dataSource;
    await dataSource.runMigrations();
    db = new ShipDatabase(dataSource);
  });

  afterAll(() => database?.close());

  beforeEach(async () => {
    await dataSource.query('DELETE FROM sync_queue');
    await dataSource.query('DELETE FROM sync_envelopes');
    await dataSource.query('DELETE FROM dead_letters');
    await dataSource.query('DELETE FROM documents');
    await dataSource.manager.insert(DocumentEntity, [OPEN_CONFLICT, RESOLVED, documentOf(3)]);
    // One by one: ids follow the list's order.
    for (const [i, row] of ROWS.entries()) {
      await dataSource.manager.insert(OutboxChangeEntity, changeRow(row, i));
    }
    for (const [i, envelope] of ENVELOPES.entries()) {
      await dataSource.manager.insert(OutboxEnvelopeEntity, {
        messageId: envelope.id,
        firstSeq: i * 10 + 1,
        lastSeq: i * 10 + 10,
        changeCount: 10,
        body: '{}',
        status: envelope.status,
        attempts: 1,
        lastError: null,
        createdAt: OLD,
        sentAt: envelope.sentAt,
      });
    }
    await dataSource.manager.insert(DeadLetterEntity, [deadLetter(OLD, 1), deadLetter(RECENT, 2)]);
  });

  const remaining = async () => ({
    changes: (await dataSource.manager.find(OutboxChangeEntity, { order: { id: 'ASC' } })).map(
      (row) => (JSON.parse(row.fields) as { label: string }).label,
    ),
    envelopes: (await dataSource.manager.find(OutboxEnvelopeEntity))
      .map((envelope) => envelope.messageId)
      .sort(),
    deadLetters: (await dataSource.manager.find(DeadLetterEntity)).map((l) => l.createdAt),
    documents: await dataSource.manager.find(DocumentEntity, { order: { key: 'ASC' } }),
  });

  it('deletes settled history older than the cutoff, in batches, and keeps the rest', async () => {
    const documents = (await remaining()).documents;
    const counts = await purgeShipHistory(db, CUTOFF, { batch: 3 });

    expect(counts).toEqual({
      changes: ROWS.filter((row) => !row.kept).length,
      envelopes: 2,
      deadLetters: 1,
    });
    expect(await remaining()).toEqual({
      changes: ROWS.filter((row) => row.kept).map((row) => row.label),
      envelopes: ENVELOPES.filter((e) => e.kept)
        .map((e) => e.id)
        .sort(),
      deadLetters: [RECENT],
      documents,
    });
    // Nothing more to do: a second pass deletes nothing.
    expect(await purgeShipHistory(db, CUTOFF, { batch: 3 })).toEqual({
      changes: 0,
      envelopes: 0,
      deadLetters: 0,
    });
  });

  it('purges once the conflict is resolved and the waiting change is settled', async () => {
    await dataSource.manager.update(
      DocumentEntity,
      { key: OPEN_CONFLICT.key },
      { syncState: 'synced' },
    );
    await dataSource.manager.update(
      OutboxChangeEntity,
      { messageId: 'env-waiting' },
      { status: 'applied', settledAt: OLD },
    );
    await purgeShipHistory(db, CUTOFF);
    const left = await remaining();
    expect(left.changes).toEqual(['applied lately', 'failed', 'pending', 'sending']);
    expect(left.envelopes).toEqual(['env-failed', 'env-pending', 'env-recent']);
  });

  it('keeps SYNC_RETENTION_DAYS of history before the moment it runs', async () => {
    const days = 90;
    const retention = new ShipRetention(
      { retention: { days, intervalMs: 60_000 } } as ShipConfig,
      db,
    );
    // On the cutoff's day minus an hour: nothing is old enough yet.
    const justBefore = new Date(Date.parse(OLD) + days * 24 * 3600_000 - 3600_000);
    expect(await retention.purge(justBefore)).toEqual({
      changes: 0,
      envelopes: 0,
      deadLetters: 0,
    });
    const justAfter = new Date(Date.parse(OLD) + days * 24 * 3600_000 + 3600_000);
    expect(await retention.purge(justAfter)).toMatchObject({ deadLetters: 1 });
  });
});
