import type { QueryRunner } from 'typeorm';

/** Rows deleted (or revisions looked at) per transaction. */
export const MASTER_PURGE_BATCH = 1000;

/** What one purge deleted. */
export interface MasterPurgeCounts {
  processedEnvelopes: number;
  changeOutcomes: number;
  conflicts: number;
  revisions: number;
  deadLetters: number;
}

export interface PurgeOptions {
  batch?: number;
  /** Asked between batches: a shutdown stops the purge there. */
  stopped?: () => boolean;
}

/**
 * Deletes the master's settled history older than `cutoff` (a timestamptz as text, from the
 * database's clock), a batch per transaction on `runner` (docs/protocol.md, "Retention"):
 * 1. recorded outcomes, except those of a conflict still open or resolved after the cutoff; each
 *    ship's `outcomes_purged_through` rises to the highest seq purged, in the same transaction;
 * 2. resolved conflicts resolved before the cutoff whose outcomes are gone;
 * 3. revisions superseded before the cutoff: a revision goes once a later revision of its
 *    document was itself recorded before the cutoff, unless an open conflict's base is at or
 *    below it or a pending outbox row still sends it (every document keeps its latest revision,
 *    and a ship dark for less than the horizon finds its base version and all after it);
 * 4. processed envelope ids received before the cutoff;
 * 5. dead letters resolved before the cutoff (pending, retrying and exhausted ones stay).
 * Sent outbox rows are OutboxCleanup's (a day). Open conflicts, documents, ship registry rows
 * and high-water marks are never touched.
 */
export async function purgeMasterHistory(
  runner: QueryRunner,
  cutoff: string,
  options: PurgeOptions = {},
): Promise<MasterPurgeCounts> {
  const batch = options.batch ?? MASTER_PURGE_BATCH;
  const stopped = options.stopped ?? (() => false);
  const inTransaction = async <T>(work: () => Promise<T>): Promise<T> => {
    await runner.startTransaction();
    try {
      const result = await work();
      await runner.commitTransaction();
      return result;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  };
  const inBatches = async (statement: () => Promise<number>): Promise<number> => {
    let total = 0;
    for (;;) {
      const deleted = await inTransaction(statement);
      total += deleted;
      if (deleted < batch || stopped()) return total;
    }
  };

  const changeOutcomes = await inBatches(() => deleteOutcomes(runner, cutoff, batch));
  const conflicts = await inBatches(() => deleteConflicts(runner, cutoff, batch));
  let revisions = 0;
  let after: RevisionKey | null = null;
  do {
    const page: RevisionPage = await inTransaction(() =>
      deleteRevisions(runner, cutoff, batch, after),
    );
    revisions += page.deleted;
    after = page.last;
  } while (after !== null && !stopped());
  const processedEnvelopes = await inBatches(() => deleteEnvelopeIds(runner, cutoff, batch));
  const deadLetters = await inBatches(() => deleteDeadLetters(runner, cutoff, batch));
  return { processedEnvelopes, changeOutcomes, conflicts, revisions, deadLetters };
}

async function deleteOutcomes(runner: QueryRunner, cutoff: string, batch: number): Promise<number> {
  const candidates = (await runner.query(
    `SELECT o.ship_id, o.change_id, o.seq FROM change_outcomes o
      WHERE o.recorded_at < $1::timestamptz
        AND (o.conflict_id IS NULL OR NOT EXISTS (
              SELECT 1 FROM conflicts c
               WHERE c.id = o.conflict_id
                 AND (c.status = 'open' OR c.resolved_at >= $1::timestamptz)))
      ORDER BY o.recorded_at LIMIT $2`,
    [cutoff, batch],
  )) as Array<{ ship_id: string; change_id: string; seq: string }>;
  if (candidates.length === 0) return 0;
  const through = new Map<string, number>();
  for (const row of candidates) {
    through.set(row.ship_id, Math.max(through.get(row.ship_id) ?? 0, Number(row.seq)));
  }
  // The ships' sequence rows first, in ship order, as ingest locks them: the two never wait on
  // each other the other way round.
  await runner.query(
    `INSERT INTO ship_sequences (ship_id, outcomes_purged_through)
     SELECT x.ship_id, x.through FROM unnest($1::text[], $2::bigint[]) AS x(ship_id, through)
      ORDER BY x.ship_id
     ON CONFLICT (ship_id) DO UPDATE
       SET outcomes_purged_through =
             GREATEST(ship_sequences.outcomes_purged_through, EXCLUDED.outcomes_purged_through)`,
    [[...through.keys()], [...through.values()]],
  );
  await runner.query(
    `DELETE FROM change_outcomes o USING unnest($1::text[], $2::uuid[]) AS x(ship_id, change_id)
      WHERE o.ship_id = x.ship_id AND o.change_id = x.change_id`,
    [candidates.map((row) => row.ship_id), candidates.map((row) => row.change_id)],
  );
  return candidates.length;
}

async function deleteConflicts(
  runner: QueryRunner,
  cutoff: string,
  batch: number,
): Promise<number> {
  return deleted(
    await runner.query(
      `DELETE FROM conflicts WHERE id IN (
         SELECT c.id FROM conflicts c
          WHERE c.status = 'resolved' AND c.resolved_at < $1::timestamptz
            AND NOT EXISTS (SELECT 1 FROM change_outcomes o WHERE o.conflict_id = c.id)
          ORDER BY c.resolved_at LIMIT $2)`,
      [cutoff, batch],
    ),
  );
}

interface RevisionKey {
  recordedAt: string;
  type: string;
  documentId: string;
  locale: string;
  version: number;
}

interface RevisionPage {
  deleted: number;
  /** The last revision looked at; null once every revision older than the cutoff was. */
  last: RevisionKey | null;
}

/**
 * Looks at the next `batch` revisions recorded before the cutoff (in recorded order, after
 * `after`) and deletes those that are superseded and needed by nothing. Most that stay are the
 * latest of documents not edited since: a page each, so the walk goes on past them.
 */
async function deleteRevisions(
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

async function deleteEnvelopeIds(
  runner: QueryRunner,
  cutoff: string,
  batch: number,
): Promise<number> {
  return deleted(
    await runner.query(
      `DELETE FROM processed_envelopes WHERE message_id IN (
         SELECT message_id FROM processed_envelopes
          WHERE received_at < $1::timestamptz ORDER BY received_at LIMIT $2)`,
      [cutoff, batch],
    ),
  );
}

async function deleteDeadLetters(
  runner: QueryRunner,
  cutoff: string,
  batch: number,
): Promise<number> {
  return deleted(
    await runner.query(
      `DELETE FROM dead_letters WHERE id IN (
         SELECT id FROM dead_letters
          WHERE status = 'resolved' AND updated_at < $1::timestamptz
          ORDER BY updated_at LIMIT $2)`,
      [cutoff, batch],
    ),
  );
}

/** TypeORM answers a DELETE on PostgreSQL with [rows, count]. */
function deleted(result: unknown): number {
  return Array.isArray(result) ? Number(result[1] ?? 0) : 0;
}
