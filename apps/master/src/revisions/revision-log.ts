import { Injectable } from '@nestjs/common';
import type { MasterRevision } from '@offline-sync/sync-core';
import type { EntityManager } from 'typeorm';
import { refKey, type DocumentRef } from '../documents/document-key';
import type { NewVersion } from '../documents/document-state';
import type { RevisionView } from './revision.view';

interface RevisionRow {
  type: string;
  document_id: string;
  locale: string;
  version: number;
  author: string;
  changed_fields: string[];
  deleted: boolean;
  at: Date;
}

export interface RevisionQuery extends DocumentRef {
  /** Revisions with a version above this one are returned. */
  afterVersion: number;
}

/** The edit log per (document, locale): what conflict detection and field merge read. */
@Injectable()
export class RevisionLog {
  /** Revisions after each key's version, by refKey, in version order; one statement. */
  async loadAfter(
    manager: EntityManager,
    queries: RevisionQuery[],
  ): Promise<Map<string, MasterRevision[]>> {
    const byKey = new Map<string, MasterRevision[]>();
    if (queries.length === 0) return byKey;
    const rows = await manager.query<RevisionRow[]>(
      `SELECT r.type, r.document_id, r.locale, r.version, r.author, r.changed_fields, r.deleted, r.at
         FROM revisions r
         JOIN unnest($1::text[], $2::uuid[], $3::text[], $4::int[]) AS k(type, id, locale, after)
           ON r.type = k.type AND r.document_id = k.id AND r.locale = k.locale AND r.version > k.after
        ORDER BY r.version`,
      [
        queries.map((q) => q.type),
        queries.map((q) => q.documentId),
        queries.map((q) => q.locale),
        queries.map((q) => q.afterVersion),
      ],
    );
    for (const row of rows) {
      const key = refKey({ type: row.type, documentId: row.document_id, locale: row.locale });
      const list = byKey.get(key) ?? [];
      list.push({
        version: row.version,
        author: row.author,
        changedFields: row.changed_fields,
        deleted: row.deleted,
        at: new Date(row.at).toISOString(),
      });
      byKey.set(key, list);
    }
    return byKey;
  }

  /** One page of a (document, locale)'s revisions in version order, and how many it has. */
  async history(
    manager: EntityManager,
    ref: DocumentRef,
    page: number,
    pageSize: number,
  ): Promise<{ items: RevisionView[]; total: number }> {
    const rows = await manager.query<
      Array<{
        version: number;
        author: string;
        changed_fields: string[];
        deleted: boolean;
        data: Record<string, unknown>;
        change_id: string | null;
        at: Date;
        total: number;
      }>
    >(
      `SELECT version, author, changed_fields, deleted, data, change_id, at, count(*) OVER ()::int AS total
         FROM revisions WHERE type = $1 AND document_id = $2 AND locale = $3
        ORDER BY version LIMIT $4 OFFSET $5`,
      [ref.type, ref.documentId, ref.locale, pageSize, (page - 1) * pageSize],
    );
    let total = rows[0]?.total ?? 0;
    if (rows.length === 0 && page > 1) {
      const [count] = await manager.query<[{ n: number }]>(
        `SELECT count(*)::int AS n FROM revisions WHERE type = $1 AND document_id = $2 AND locale = $3`,
        [ref.type, ref.documentId, ref.locale],
      );
      total = count.n;
    }
    return {
      items: rows.map((row) => ({
        version: row.version,
        author: row.author,
        changedFields: row.changed_fields,
        deleted: row.deleted,
        data: row.data,
        changeId: row.change_id,
        at: new Date(row.at).toISOString(),
      })),
      total,
    };
  }

  /** Appends revisions with one multi-row statement. */
  async append(manager: EntityManager, versions: NewVersion[]): Promise<void> {
    if (versions.length === 0) return;
    await manager.query(
      `INSERT INTO revisions (type, document_id, locale, version, author, changed_fields, deleted, data, change_id, at)
       SELECT x.type, x.document_id, x.locale, x.version, x.author, x.changed_fields, x.deleted, x.data, x.change_id, x.at
         FROM jsonb_to_recordset($1::jsonb) AS x(type text, document_id uuid, locale text, version int,
              author text, changed_fields text[], deleted boolean, data jsonb, change_id uuid, at timestamptz)`,
      [
        JSON.stringify(
          versions.map((v) => ({
            type: v.type,
            document_id: v.documentId,
            locale: v.locale,
            version: v.version,
            author: v.author,
            changed_fields: v.changedFields,
            deleted: v.deleted,
            data: v.data,
            change_id: v.origin?.changeId ?? null,
            at: v.at,
          })),
        ),
      ],
    );
  }
}
