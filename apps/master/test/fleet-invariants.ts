import type { Client } from 'pg';

export interface FleetFigures {
  outcomes: number;
  applied: number;
  envelopes: number;
  documents: number;
  revisions: number;
  /** Documents whose version, revision count and applied-change count disagree (must be 0). */
  inconsistent: number;
  /** Documents whose revisions are not exactly 1..version (must be 0). */
  gaps: number;
  pendingOutbox: number;
}

/**
 * What "nothing lost, nothing applied twice" means in the master's tables: every document's
 * version equals its number of revisions and of changes applied to it, with no gap.
 */
export async function fleetFigures(db: Client): Promise<FleetFigures> {
  const { rows } = await db.query<FleetFigures>(`
    WITH per_doc AS (
      SELECT d.type, d.id, d.locale, d.version,
             (SELECT count(*) FROM revisions r
               WHERE r.type = d.type AND r.document_id = d.id AND r.locale = d.locale) AS revisions,
             (SELECT count(*) FROM change_outcomes o
               WHERE o.type = d.type AND o.document_id = d.id AND o.locale = d.locale
                 AND o.status = 'applied') AS applied,
             (SELECT min(version) = 1 AND max(version) = d.version FROM revisions r
               WHERE r.type = d.type AND r.document_id = d.id AND r.locale = d.locale) AS contiguous
        FROM documents d)
    SELECT (SELECT count(*)::int FROM change_outcomes) AS outcomes,
           (SELECT count(*)::int FROM change_outcomes WHERE status = 'applied') AS applied,
           (SELECT count(*)::int FROM processed_envelopes) AS envelopes,
           (SELECT count(*)::int FROM per_doc) AS documents,
           (SELECT count(*)::int FROM revisions) AS revisions,
           (SELECT count(*)::int FROM per_doc WHERE version <> revisions OR version <> applied) AS inconsistent,
           (SELECT count(*)::int FROM per_doc WHERE NOT contiguous) AS gaps,
           (SELECT count(*)::int FROM outbox WHERE status = 'pending') AS "pendingOutbox"`);
  return rows[0];
}
