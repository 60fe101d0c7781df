import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { jsonEqual, uuidV7 } from '@offline-sync/sync-core';
import type { EntityManager } from 'typeorm';
import { ShipClock } from '../core/clock/ship-clock';
import { ShipConfig } from '../core/config/ship-config';
import { isoNow } from '../core/database/iso-now';
import { chunked, IN_LIST_CHUNK } from '../core/database/ship-database.service';
import { inList } from '../core/database/statement-sizes';
import { insertRows } from '../core/database/insert-rows';
import { selectRowsIn } from '../core/database/select-rows';
import { coalesceChanges } from '../outbox/coalesce-changes';
import { OutboxChangeEntity, UNSENT_CHANGE_COLUMNS } from '../outbox/entities/outbox-change.entity';
import type { NewChange } from '../outbox/outbox.service';
import { checkDocumentData } from './check-document-data';
import type { ContentWrite, ContentWriteOutcome } from './content-write';
import { toDocumentView } from './document.view';
import { loadDocuments } from './load-documents';
import { upsertDocumentColumns } from './upsert-document-columns';
import { DocumentEntity, type DocumentSyncState } from './entities/document.entity';

/** Document columns a crew write changes; everything else belongs to the sync path. */
const DOCUMENT_EDIT_COLUMNS = ['data', 'deleted', 'sync_state', 'updated_at'];
/** The unsent outbox row of a document, as the group leaves it. */
interface UnsentChange {
  row: OutboxChangeEntity;
  fields: Record<string, unknown>;
  /** Not in the database yet: inserted with the group. */
  added: boolean;
}

/**
 * Applies a group of crew writes in the caller's transaction with a few set-based statements
 * (read the documents and their unsent changes, then one upsert of documents and one of outbox
 * rows), instead of several round trips per write: per-statement driver overhead, not the disk,
 * bounds SQLite writes here. The writes are decided one after the other in memory, in arrival
 * order, exactly as they would be alone: later writes see earlier ones, later edits of a document
 * fold into its unsent change (docs/protocol.md), and new outbox rows get ids in write order, the
 * order the relay sends them. A refused write (unknown document, existing id, invalid data)
 * changes nothing and does not affect the others.
 */
@Injectable()
export class ContentWriter {
  constructor(
    private readonly config: ShipConfig,
    private readonly clock: ShipClock,
  ) {}

  /** With `allOrNothing`, one refused write leaves the database as it was for all of them. */
  async apply(
    manager: EntityManager,
    writes: readonly ContentWrite[],
    { allOrNothing = false }: { allOrNothing?: boolean } = {},
  ): Promise<ContentWriteOutcome[]> {
    // A document the ship just named cannot be stored yet: only the others are looked up.
    const documents = await loadDocuments(
      manager,
      writes.filter((w) => w.op !== 'create' || !w.newId).map((w) => w.key),
    );
    const unsent = await this.loadUnsent(manager, writes);
    const touched = new Map<string, DocumentEntity>();
    const added: OutboxChangeEntity[] = [];
    const folded = new Map<number, OutboxChangeEntity>();
    const cancelled: number[] = [];

    // Edit times go to the master (its rules may read them): the ship's clock, which follows
    // the master's; row times stay on the machine's clock.
    let editedAt = '';
    const enqueue = (change: NewChange, now: string, fieldsJson?: string): void => {
      const queued = unsent.get(change.docKey);
      if (!queued) {
        const row = newChangeRow(
          change,
          now,
          editedAt,
          fieldsJson ?? JSON.stringify(change.fields),
        );
        added.push(row);
        unsent.set(change.docKey, { row, fields: change.fields, added: true });
        return;
      }
      const result = coalesceChanges(
        { op: queued.row.op, fields: queued.fields },
        { op: change.op, fields: change.fields },
      );
      if (result.kind === 'cancel') {
        unsent.delete(change.docKey);
        if (queued.added) added.splice(added.indexOf(queued.row), 1);
        else {
          folded.delete(queued.row.id);
          cancelled.push(queued.row.id);
        }
        return;
      }
      queued.fields = result.fields;
      Object.assign(queued.row, {
        op: result.op,
        fields: JSON.stringify(result.fields),
        editedAt,
        updatedAt: now,
      });
      if (!queued.added) folded.set(queued.row.id, queued.row);
    };

    const outcomes = writes.map((write): ContentWriteOutcome => {
      try {
        const now = isoNow();
        editedAt = this.clock.nowIso();
        const existing = documents.get(write.key);
        if (write.op === 'create') {
          if (existing) {
            throw new ConflictException(
              existing.deleted
                ? `${write.type} ${write.documentId} (locale '${write.locale}') was deleted; create a new document instead`
                : `${write.type} ${write.documentId} (locale '${write.locale}') already exists`,
            );
          }
          const document = newDocument(write, now);
          documents.set(write.key, document);
          touched.set(write.key, document);
          // A create's fields are its data (already serialised as the document's) without its
          // local-only fields, which stay here.
          const sent = this.config.contentTypes.localOnly.strip(write.type, write.fields);
          enqueue(
            changeOf(write, 'create', sent, 0),
            now,
            sent === write.fields ? write.data : undefined,
          );
          return { ok: true, view: toDocumentView(document), changed: true };
        }
        if (!existing || existing.deleted) {
          throw new NotFoundException(
            `${write.type} ${write.documentId} (locale '${write.locale}') does not exist`,
          );
        }
        if (write.op === 'delete') {
          // The row stays as a tombstone: the deletion is a versioned change like any other.
          Object.assign(existing, {
            deleted: true,
            syncState: localEditState(existing.syncState),
            updatedAt: now,
          });
          touched.set(write.key, existing);
          enqueue(changeOf(write, 'delete', {}, existing.version), now);
          return { ok: true, view: toDocumentView(existing), changed: true };
        }
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
          Object.assign(existing, { data: json, updatedAt: now });
          touched.set(write.key, existing);
          return { ok: true, view: toDocumentView(existing), changed: false };
        }
        Object.assign(existing, {
          data: json,
          syncState: localEditState(existing.syncState),
          updatedAt: now,
        });
        touched.set(write.key, existing);
        enqueue(changeOf(write, 'update', sent, existing.version), now);
        return { ok: true, view: toDocumentView(existing), changed: true };
      } catch (error) {
        return { ok: false, error };
      }
    });

    if (allOrNothing && outcomes.some((outcome) => !outcome.ok)) return outcomes;
    await upsertDocumentColumns(
      manager,
      [...touched.values()],
      DOCUMENT_EDIT_COLUMNS,
      IN_LIST_CHUNK,
    );
    for (const ids of chunked(cancelled)) {
      await manager.delete(OutboxChangeEntity, { id: inList(ids) });
    }
    // An update per folded row: an upsert on the generated id is not portable (PostgreSQL inserts
    // a new row with a fresh id and trips the unique change id).
    for (const row of folded.values()) {
      const { op, fields, editedAt, updatedAt } = row;
      await manager.update(OutboxChangeEntity, { id: row.id }, { op, fields, editedAt, updatedAt });
    }
    // One statement per chunk, rows in write order: their ids follow it.
    await insertRows(manager, OutboxChangeEntity, added, { rowsPerStatement: IN_LIST_CHUNK });
    return outcomes;
  }

  /** At most one unsent row per document exists (later edits fold into it). */
  private async loadUnsent(
    manager: EntityManager,
    writes: readonly ContentWrite[],
  ): Promise<Map<string, UnsentChange>> {
    const unsent = new Map<string, UnsentChange>();
    // A create starts a document's history: there is nothing to fold into.
    const edited = writes.filter((w) => w.op !== 'create').map((w) => w.key);
    const rows = await selectRowsIn(manager, OutboxChangeEntity, 'docKey', edited, {
      where: { status: ['pending'] },
      orderBy: 'id',
      valuesPerStatement: IN_LIST_CHUNK,
    });
    for (const row of rows) {
      unsent.set(row.docKey, {
        row,
        fields: JSON.parse(row.fields) as Record<string, unknown>,
        added: false,
      });
    }
    return unsent;
  }
}

function newDocument(write: ContentWrite & { op: 'create' }, now: string): DocumentEntity {
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

function newChangeRow(
  change: NewChange,
  now: string,
  editedAt: string,
  fieldsJson: string,
): OutboxChangeEntity {
  // Members listed, not spread in: this runs once per crew write.
  return Object.assign(new OutboxChangeEntity(), UNSENT_CHANGE_COLUMNS, {
    changeId: uuidV7(),
    docKey: change.docKey,
    type: change.type,
    documentId: change.documentId,
    locale: change.locale,
    op: change.op,
    baseVersion: change.baseVersion,
    fields: fieldsJson,
    editedAt,
    status: 'pending',
    seq: null,
    createdAt: now,
    updatedAt: now,
  });
}

/** A local edit makes a document pending, except that an open conflict stays shown until resolved. */
function localEditState(state: DocumentSyncState): DocumentSyncState {
  return state === 'conflict' ? 'conflict' : 'pending';
}
