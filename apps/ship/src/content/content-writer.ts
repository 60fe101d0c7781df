import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { jsonEqual } from '@offline-sync/sync-core';
import { ShipClock } from '../core/clock/ship-clock';
import { ShipConfig } from '../core/config/ship-config';
import { isoNow } from '../core/database/iso-now';
import type { ShipDb } from '../core/database/ship-tables';
import { IN_LIST_MAX } from '../core/database/statement-sizes';
import { DocumentsRepository } from '../documents/documents.repository';
import type {
  DocumentColumn,
  DocumentSyncState,
  StoredDocument,
} from '../documents/documents.table';
import { OutboxChangesRepository } from '../outbox/outbox-changes.repository';
import { checkDocumentData } from './check-document-data';
import type { ContentWrite, ContentWriteOutcome } from './content-write';
import { toDocumentView } from './document.view';
import type { NewChange } from './new-change';
import { WriteGroup } from './write-group';

/** Document columns a crew write changes; everything else belongs to the sync path. */
const DOCUMENT_EDIT_COLUMNS: readonly DocumentColumn[] = [
  'data',
  'deleted',
  'syncState',
  'updatedAt',
];

/** When a write happens: the row times (machine clock) and the edit time sent to the master. */
interface WriteTimes {
  now: string;
  editedAt: string;
}

type Write<Op extends ContentWrite['op']> = Extract<ContentWrite, { op: Op }>;

/**
 * Applies a group of crew writes in the caller's transaction with a few set-based statements
 * (read the documents and their unsent changes, then one upsert of documents and one of outbox
 * rows), instead of several round trips per write: per-statement driver overhead, not the disk,
 * bounds SQLite writes here. The writes are decided one after the other in memory, in arrival
 * order, exactly as they would be alone (WriteGroup), and new outbox rows get ids in write order,
 * the order the relay sends them. A refused write (unknown document, existing id, invalid data)
 * changes nothing and does not affect the others.
 */
@Injectable()
export class ContentWriter {
  constructor(
    private readonly config: ShipConfig,
    private readonly clock: ShipClock,
    private readonly documents: DocumentsRepository,
    private readonly changes: OutboxChangesRepository,
  ) {}

  /** With `allOrNothing`, one refused write leaves the database as it was for all of them. */
  async apply(
    db: ShipDb,
    writes: readonly ContentWrite[],
    { allOrNothing = false }: { allOrNothing?: boolean } = {},
  ): Promise<ContentWriteOutcome[]> {
    const group = await this.load(db, writes);
    const outcomes = writes.map((write) => this.decide(group, write));
    if (allOrNothing && outcomes.some((outcome) => !outcome.ok)) return outcomes;
    await this.store(db, group);
    return outcomes;
  }

  /** The stored documents the writes name, and their unsent changes. */
  private async load(db: ShipDb, writes: readonly ContentWrite[]): Promise<WriteGroup> {
    // A document the ship just named cannot be stored yet: only the others are looked up.
    const documents = await this.documents.load(
      db,
      writes.filter((w) => w.op !== 'create' || !w.newId).map((w) => w.key),
    );
    // A create starts a document's history: there is nothing to fold into.
    const unsent = await this.changes.unsentOf(
      db,
      writes.filter((w) => w.op !== 'create').map((w) => w.key),
    );
    return new WriteGroup(documents, unsent);
  }

  /** One write, decided against what the writes before it left. */
  private decide(group: WriteGroup, write: ContentWrite): ContentWriteOutcome {
    try {
      // Edit times go to the master (its rules may read them): the ship's clock, which follows
      // the master's; row times stay on the machine's clock.
      const times = { now: isoNow(), editedAt: this.clock.nowIso() };
      const existing = group.documents.get(write.key);
      if (write.op === 'create') return this.create(group, write, existing, times);
      if (!existing || existing.deleted) {
        throw new NotFoundException(
          `${write.type} ${write.documentId} (locale '${write.locale}') does not exist`,
        );
      }
      if (write.op === 'delete') return this.remove(group, write, existing, times);
      return this.update(group, write, existing, times);
    } catch (error) {
      return { ok: false, error };
    }
  }

  private create(
    group: WriteGroup,
    write: Write<'create'>,
    existing: StoredDocument | undefined,
    times: WriteTimes,
  ): ContentWriteOutcome {
    if (existing) {
      throw new ConflictException(
        existing.deleted
          ? `${write.type} ${write.documentId} (locale '${write.locale}') was deleted; create a new document instead`
          : `${write.type} ${write.documentId} (locale '${write.locale}') already exists`,
      );
    }
    const document = newDocument(write, times.now);
    group.write(document);
    // A create's fields are its data (already serialised as the document's) without its
    // local-only fields, which stay here.
    const sent = this.config.contentTypes.localOnly.strip(write.type, write.fields);
    group.enqueue(
      changeOf(write, 'create', sent, 0),
      times,
      sent === write.fields ? write.data : undefined,
    );
    return { ok: true, view: toDocumentView(document), changed: true };
  }

  /** The row stays as a tombstone: the deletion is a versioned change like any other. */
  private remove(
    group: WriteGroup,
    write: Write<'delete'>,
    existing: StoredDocument,
    times: WriteTimes,
  ): ContentWriteOutcome {
    Object.assign(existing, {
      deleted: true,
      syncState: localEditState(existing.syncState),
      updatedAt: times.now,
    });
    group.write(existing);
    group.enqueue(changeOf(write, 'delete', {}, existing.version), times);
    return { ok: true, view: toDocumentView(existing), changed: true };
  }

  private update(
    group: WriteGroup,
    write: Write<'update'>,
    existing: StoredDocument,
    times: WriteTimes,
  ): ContentWriteOutcome {
    const current = JSON.parse(existing.data) as Record<string, unknown>;
    const fields = Object.fromEntries(
      Object.entries(write.patch).filter(([name, value]) => !jsonEqual(current[name], value)),
    );
    if (Object.keys(fields).length === 0) {
      return { ok: true, view: toDocumentView(existing), changed: false };
    }
    const data = { ...current, ...fields };
    const json = JSON.stringify(data);
    checkDocumentData(this.config.contentTypes, write.type, data, json);
    const sent = this.config.contentTypes.localOnly.strip(write.type, fields);
    if (Object.keys(sent).length === 0) {
      // Only local-only fields changed: stored here, nothing to send, still in sync.
      Object.assign(existing, { data: json, updatedAt: times.now });
      group.write(existing);
      return { ok: true, view: toDocumentView(existing), changed: false };
    }
    Object.assign(existing, {
      data: json,
      syncState: localEditState(existing.syncState),
      updatedAt: times.now,
    });
    group.write(existing);
    group.enqueue(changeOf(write, 'update', sent, existing.version), times);
    return { ok: true, view: toDocumentView(existing), changed: true };
  }

  /** What the group decided, in a few statements. */
  private async store(db: ShipDb, group: WriteGroup): Promise<void> {
    await this.documents.upsert(
      db,
      [...group.touched.values()],
      DOCUMENT_EDIT_COLUMNS,
      IN_LIST_MAX,
    );
    await this.changes.removeUnsent(db, group.cancelled);
    // An update per folded row: an upsert on the generated id is not portable (PostgreSQL inserts
    // a new row with a fresh id and trips the unique change id).
    for (const row of group.folded.values()) await this.changes.fold(db, row);
    // One statement per chunk, rows in write order: their ids follow it.
    await this.changes.insert(db, group.added);
  }
}

function newDocument(write: Write<'create'>, now: string): StoredDocument {
  return {
    key: write.key,
    type: write.type,
    documentId: write.documentId,
    locale: write.locale,
    data: write.data,
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
  };
}

function changeOf(
  write: ContentWrite,
  op: NewChange['op'],
  fields: Record<string, unknown>,
  baseVersion: number,
): NewChange {
  return {
    docKey: write.key,
    type: write.type,
    documentId: write.documentId,
    locale: write.locale,
    op,
    fields,
    baseVersion,
  };
}

/** A local edit makes a document pending, except that an open conflict stays shown until resolved. */
function localEditState(state: DocumentSyncState): DocumentSyncState {
  return state === 'conflict' ? 'conflict' : 'pending';
}
