import type { StoredDocument } from '../documents/documents.table';
import type { ShipConfig } from '../core/config/ship-config';
import { ShipDatabase } from '../core/database/ship-database.service';
import type { DeadLettersTable } from '../dead-letters/dead-letters.table';
import { DeadLettersRepository } from '../dead-letters/dead-letters.repository';
import { OutboxChangesRepository } from '../outbox/outbox-changes.repository';
import { EnvelopesRepository } from '../relay/envelopes.repository';
import { shipRows } from '../testing/ship-rows';
import type { Insertable } from 'kysely';
import type { NewOutboxChange, OutboxStatus } from '../outbox/sync-queue.table';
import type { EnvelopeStatus } from '../relay/sync-envelopes.table';
import { documentOf } from '../testing/ship-row-fixtures';
import { openShipTestDatabase, type ShipTestDatabase } from '../testing/ship-test-database';
import { purgeShipHistory, type ShipHistoryOwners } from './ship-purge';
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
  doc?: StoredDocument;
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

function changeRow(row: Row, i: number): NewOutboxChange {
  const doc = row.doc ?? documentOf(3);
  const settled = ['applied', 'rejected', 'conflict'].includes(row.status);
  return {
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
    reasked: 0,
    lastError: null,
    outcomeVersion: row.status === 'applied' ? 2 : null,
    conflictId: row.conflictId ?? null,
    reason: row.status === 'rejected' ? 'invalid-data: n' : null,
    createdAt: row.at,
    updatedAt: row.at,
    sentAt: row.status === 'pending' ? null : row.at,
    settledAt: settled ? row.at : null,
  };
}

function deadLetter(at: string, offset: number): Insertable<DeadLettersTable> {
  return {
    topic: 'master-updates',
    partition: 0,
    message_offset: String(offset),
    message_key: null,
    value: '{}',
    value_encoding: 'utf8',
    headers: '{}',
    reason: 'malformed',
    detail: 'not an envelope',
    sender: null,
    message_id: null,
    created_at: at,
  };
}

/**
 * The ship's purge of settled history on a real database (SQLite file, PostgreSQL): what is
 * older than the horizon and settled goes, in batches; whatever awaits the master, a conflict
 * still open, recent history and every document stay.
 */
describe.each(['sqlite', 'postgres'] as const)('ship purge of settled history (%s)', (client) => {
  let database: ShipTestDatabase;
  let db: ShipDatabase;
  const owners: ShipHistoryOwners = {
    changes: new OutboxChangesRepository(),
    envelopes: new EnvelopesRepository(),
    deadLetters: new DeadLettersRepository(),
  };

  beforeAll(async () => {
    database = await openShipTestDatabase(client, 'ship_purge');
    db = new ShipDatabase(database.connection);
  });

  afterAll(() => database?.close());

  beforeEach(async () => {
    const tx = database.db;
    await tx.deleteFrom('sync_queue').execute();
    await tx.deleteFrom('sync_envelopes').execute();
    await tx.deleteFrom('dead_letters').execute();
    await tx.deleteFrom('documents').execute();
    await shipRows.insertDocuments(tx, [OPEN_CONFLICT, RESOLVED, documentOf(3)]);
    // One by one: ids follow the list's order.
    await shipRows.insertChanges(
      tx,
      ROWS.map((row, i) => changeRow(row, i)),
    );
    for (const [i, envelope] of ENVELOPES.entries()) {
      await owners.envelopes.insert(tx, {
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
    await tx
      .insertInto('dead_letters')
      .values([deadLetter(OLD, 1), deadLetter(RECENT, 2)])
      .execute();
  });

  const remaining = async () => ({
    changes: (await shipRows.changes(database.db)).map(
      (row) => (JSON.parse(row.fields) as { label: string }).label,
    ),
    envelopes: (await shipRows.envelopes(database.db)).map((envelope) => envelope.messageId).sort(),
    deadLetters: (
      await database.db.selectFrom('dead_letters').select('created_at').orderBy('id').execute()
    ).map((l) => l.created_at),
    documents: await shipRows.documents(database.db),
  });

  it('deletes settled history older than the cutoff, in batches, and keeps the rest', async () => {
    const documents = (await remaining()).documents;
    const counts = await purgeShipHistory(db, owners, CUTOFF, { batch: 3 });

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
    expect(await purgeShipHistory(db, owners, CUTOFF, { batch: 3 })).toEqual({
      changes: 0,
      envelopes: 0,
      deadLetters: 0,
    });
  });

  it('purges once the conflict is resolved and the waiting change is settled', async () => {
    await database.db
      .updateTable('documents')
      .set({ sync_state: 'synced' })
      .where('doc_key', '=', OPEN_CONFLICT.key)
      .execute();
    await database.db
      .updateTable('sync_queue')
      .set({ status: 'applied', settled_at: OLD })
      .where('message_id', '=', 'env-waiting')
      .execute();
    await purgeShipHistory(db, owners, CUTOFF);
    const left = await remaining();
    expect(left.changes).toEqual(['applied lately', 'failed', 'pending', 'sending']);
    expect(left.envelopes).toEqual(['env-failed', 'env-pending', 'env-recent']);
  });

  it('keeps SYNC_RETENTION_DAYS of history before the moment it runs', async () => {
    const days = 90;
    const retention = new ShipRetention(
      { retention: { days, intervalMs: 60_000 } } as ShipConfig,
      db,
      owners.changes,
      owners.envelopes,
      owners.deadLetters,
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
