import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { DocumentRef } from '../documents/document-key';
import { conflictKey, type ConflictDraft } from './conflict-draft';

/** Opens and updates conflicts for the ingest, set-based, inside its transaction. */
@Injectable()
export class ConflictRecorder {
  /** Ids of open conflicts by conflictKey for the given (document, ship) pairs. */
  async loadOpen(
    manager: EntityManager,
    pairs: Array<DocumentRef & { shipId: string }>,
  ): Promise<Map<string, string>> {
    const open = new Map<string, string>();
    if (pairs.length === 0) return open;
    const rows = await manager.query<
      Array<{ id: string; type: string; document_id: string; locale: string; ship_id: string }>
    >(
      `SELECT c.id, c.type, c.document_id, c.locale, c.ship_id
         FROM conflicts c
         JOIN unnest($1::text[], $2::uuid[], $3::text[], $4::text[]) AS k(type, id, locale, ship)
           ON c.type = k.type AND c.document_id = k.id AND c.locale = k.locale AND c.ship_id = k.ship
        WHERE c.status = 'open'`,
      [
        pairs.map((p) => p.type),
        pairs.map((p) => p.documentId),
        pairs.map((p) => p.locale),
        pairs.map((p) => p.shipId),
      ],
    );
    for (const row of rows) {
      open.set(
        conflictKey(
          { type: row.type, documentId: row.document_id, locale: row.locale },
          row.ship_id,
        ),
        row.id,
      );
    }
    return open;
  }

  /**
   * New conflicts take their base data from the revision at the ship's base version (written
   * earlier in the same transaction if need be); the ship's copy is that base with its fields.
   * An open conflict keeps its base and gains the later change's fields.
   */
  async save(manager: EntityManager, drafts: ConflictDraft[]): Promise<void> {
    const rows = (list: ConflictDraft[]): string =>
      JSON.stringify(
        list.map((d) => ({
          id: d.id,
          type: d.type,
          document_id: d.documentId,
          locale: d.locale,
          ship_id: d.shipId,
          change_id: d.changeId,
          seq: d.seq,
          conflict_type: d.conflictType,
          rule: d.rule,
          base_version: d.baseVersion,
          ship_fields: d.shipFields,
          ship_deleted: d.shipDeleted,
          master_version: d.masterVersion,
          master_data: d.masterData,
          master_deleted: d.masterDeleted,
          foreign_authors: d.foreignAuthors,
        })),
      );
    const recordset = `jsonb_to_recordset($1::jsonb) AS x(id uuid, type text, document_id uuid,
      locale text, ship_id text, change_id uuid, seq bigint, conflict_type text, rule text,
      base_version int, ship_fields jsonb, ship_deleted boolean, master_version int,
      master_data jsonb, master_deleted boolean, foreign_authors text[])`;
    const fresh = drafts.filter((d) => d.isNew);
    const open = drafts.filter((d) => !d.isNew);
    if (fresh.length > 0) {
      await manager.query(
        `INSERT INTO conflicts (id, type, document_id, locale, ship_id, change_id, seq,
           conflict_type, rule, status, base_version, base_data, ship_fields, ship_data,
           ship_deleted, master_version, opened_version, master_data, master_deleted,
           foreign_authors)
         SELECT x.id, x.type, x.document_id, x.locale, x.ship_id, x.change_id, x.seq,
           x.conflict_type, x.rule, 'open', x.base_version, r.data, x.ship_fields,
           COALESCE(r.data, '{}'::jsonb) || x.ship_fields, x.ship_deleted, x.master_version,
           x.master_version, x.master_data, x.master_deleted, x.foreign_authors
           FROM ${recordset}
           LEFT JOIN revisions r ON r.type = x.type AND r.document_id = x.document_id
                AND r.locale = x.locale AND r.version = x.base_version`,
        [rows(fresh)],
      );
    }
    if (open.length > 0) {
      await manager.query(
        `UPDATE conflicts c SET change_id = x.change_id, seq = x.seq,
           conflict_type = x.conflict_type, rule = x.rule,
           ship_fields = c.ship_fields || x.ship_fields, ship_data = c.ship_data || x.ship_fields,
           ship_deleted = x.ship_deleted, master_version = x.master_version,
           master_data = x.master_data, master_deleted = x.master_deleted,
           foreign_authors = x.foreign_authors, updated_at = now()
           FROM ${recordset}
          WHERE c.id = x.id AND c.status = 'open'`,
        [rows(open)],
      );
    }
  }
}
