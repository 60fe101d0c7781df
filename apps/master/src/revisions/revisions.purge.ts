import type { QueryRunner } from 'typeorm';

export interface RevisionKey {
  recordedAt: string;
  type: string;
  documentId: string;
  locale: string;
  version: number;
}

export interface RevisionPage {
  deleted: number;
  /** The last revision looked at; null once every revision older than the cutoff was. */
  last: RevisionKey | null;
}

/**
 * Looks at the next `batch` revisions recorded before the cutoff (in recorded order, after
 * `after`) and deletes those that are superseded and needed by nothing. Most that stay are the
 * latest of documents not edited since: a page each, so the walk goes on past them.
 */
export async function purgeSupersededRevisions(
  runner: QueryRunner,
  cutoff: string,
  batch: number,
  after: RevisionKey | null,
): Promise<RevisionPage> {
  const [row] = (await runner.query(
    `WITH page AS (
       SELECT r.recorded_at, r.type, r.document_id, r.locale, r.version FROM revisions r
        WHERE r.recorded_at < $1::timestamptz
          AND ($3::timestamptz IS NULL
               OR (r.recorded_at, r.type, r.document_id, r.locale, r.version)
                  > ($3::timestamptz, $4::text, $5::uuid, $6::text, $7::int))
        ORDER BY r.recorded_at, r.type, r.document_id, r.locale, r.version
        LIMIT $2),
     sending AS MATERIALIZED (
       SELECT o.payload->>'type' AS type, (o.payload->>'documentId')::uuid AS document_id,
              o.payload->>'locale' AS locale, (o.payload->>'version')::int AS version
         FROM outbox o WHERE o.status = 'pending' AND o.kind = 'master-update'),
     doomed AS (
       SELECT p.type, p.document_id, p.locale, p.version FROM page p
        WHERE EXISTS (SELECT 1 FROM revisions n
                       WHERE n.type = p.type AND n.document_id = p.document_id
                         AND n.locale = p.locale AND n.version > p.version
                         AND n.recorded_at < $1::timestamptz)
          AND NOT EXISTS (SELECT 1 FROM conflicts c
                           WHERE c.status = 'open' AND c.type = p.type
                             AND c.document_id = p.document_id AND c.locale = p.locale
                             AND c.base_version <= p.version)
          AND NOT EXISTS (SELECT 1 FROM sending s
                           WHERE s.type = p.type AND s.document_id = p.document_id
                             AND s.locale = p.locale AND s.version = p.version)),
     gone AS (
       DELETE FROM revisions r USING doomed d
        WHERE r.type = d.type AND r.document_id = d.document_id AND r.locale = d.locale
          AND r.version = d.version
       RETURNING 1)
     SELECT (SELECT count(*) FROM gone)::int AS deleted,
            (SELECT count(*) FROM page)::int AS looked,
            (SELECT json_build_object('recordedAt', p.recorded_at::text, 'type', p.type,
                      'documentId', p.document_id, 'locale', p.locale, 'version', p.version)
               FROM page p
              ORDER BY p.recorded_at DESC, p.type DESC, p.document_id DESC, p.locale DESC,
                       p.version DESC
              LIMIT 1) AS last`,
    [
      cutoff,
      batch,
      after?.recordedAt ?? null,
      after?.type ?? null,
      after?.documentId ?? null,
      after?.locale ?? null,
      after?.version ?? null,
    ],
  )) as Array<{ deleted: number; looked: number; last: RevisionKey | null }>;
  return { deleted: row.deleted, last: row.looked < batch ? null : row.last };
}
