import { errorMessage } from '@offline-sync/sync-core';
import type { QueryRunner } from 'typeorm';

/** A pending (or parked) outbox row as the relay reads it, with what it needs to draft it. */
export interface PendingRow {
  id: string;
  kind: 'master-update' | 'change-outcomes';
  message_id: string;
  topic: string;
  key: string;
  payload: Record<string, unknown>;
  created_at: Date;
  /** For master-update rows: the revision the row points at. */
  rev_data: Record<string, unknown> | null;
  rev_deleted: boolean | null;
  rev_author: string | null;
  rev_at: Date | null;
  /** For master-update rows: conflicts open on the document at that version, if any. */
  open_conflicts: string[] | null;
}

/** A row the relay can never send, and why. */
export interface Unsendable {
  row: PendingRow;
  reason: 'too-large' | 'no-revision';
  detail: string;
}

/** A row's signed envelope: the key and JSON text that go on the wire. */
export interface SignedRow {
  key: string;
  encoded: string;
}

/**
 * Outbox rows matching `filter` (at most $1, oldest first) with the revision each master-update
 * row points at. The rows are taken first and only they are joined: with the LIMIT outside the
 * join, the planner joined every pending row (15,000 while a burst was queued) to its revision
 * before keeping 500, and this query was 60% of PostgreSQL's time in ingest.
 */
export function rowsWhere(filter: string): string {
  // A conflict is open at version v from the version it opened at until its resolution's.
  return `SELECT o.id, o.kind, o.message_id, o.topic, o.key, o.payload, o.created_at,
                 r.data AS rev_data, r.deleted AS rev_deleted, r.author AS rev_author, r.at AS rev_at,
                 oc.ids AS open_conflicts
            FROM (SELECT id, kind, message_id, topic, key, payload, created_at FROM outbox
                   WHERE ${filter} ORDER BY id LIMIT $1) o
            LEFT JOIN revisions r
              ON o.kind = 'master-update' AND r.type = o.payload->>'type'
             AND r.document_id = (o.payload->>'documentId')::uuid
             AND r.locale = o.payload->>'locale' AND r.version = (o.payload->>'version')::int
            LEFT JOIN LATERAL (
              SELECT array_agg(c.id::text ORDER BY c.id) AS ids FROM conflicts c
               WHERE o.kind = 'master-update' AND c.type = o.payload->>'type'
                 AND c.document_id = (o.payload->>'documentId')::uuid
                 AND c.locale = o.payload->>'locale'
                 AND c.opened_version <= (o.payload->>'version')::int
                 AND (c.status = 'open' OR c.resolved_version > (o.payload->>'version')::int)
            ) oc ON true
           ORDER BY o.id`;
}

/** The broker acknowledged the rows: they are sent. */
export async function markSent(runner: QueryRunner, ids: string[]): Promise<void> {
  await runner.query(
    `UPDATE outbox SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL
      WHERE id = ANY($1::bigint[])`,
    [ids],
  );
}

/** Not sent: the rows stay pending with what went wrong. */
export async function recordFailure(
  runner: QueryRunner,
  rows: PendingRow[],
  error: unknown,
): Promise<void> {
  await runner.query(
    `UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`,
    [rows.map((row) => row.id), errorMessage(error).slice(0, 2000)],
  );
}

export function tooLargeDetail(row: PendingRow, bytes: number, maxRequestBytes: number): string {
  return `${row.kind} ${row.key}: its message is ${bytes} bytes, over the ${maxRequestBytes}-byte request limit (KAFKA_MAX_REQUEST_BYTES)`;
}

export function refusedDetail(row: PendingRow, bytes: number): string {
  return `${row.kind} ${row.key}: its message is ${bytes} bytes, refused by the broker as too large for ${row.topic} (max.message.bytes)`;
}

/** The rows at `indexes`, each over the request limit on its own, to park. */
export function tooLarge(
  rows: PendingRow[],
  sizes: number[],
  indexes: number[],
  maxRequestBytes: number,
): Unsendable[] {
  return indexes.map((i) => ({
    row: rows[i],
    reason: 'too-large',
    detail: tooLargeDetail(rows[i], sizes[i], maxRequestBytes),
  }));
}
