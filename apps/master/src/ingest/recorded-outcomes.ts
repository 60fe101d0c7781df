import { Injectable } from '@nestjs/common';
import {
  ChangeRejectionCode,
  type ChangeOutcomeDto,
  type ChangeOutcomeStatus,
  type ShipChangeDto,
} from '@offline-sync/sync-core';
import type { EntityManager } from 'typeorm';
import type { DocumentRef } from '../documents/document-key';
import { acceptedKey, outcomeKey } from './change-batch-planner';
import { rejectedOutcome } from './rejected-outcome';

export interface OutcomeRow {
  ship_id: string;
  change_id: string;
  seq: string;
  type: string;
  document_id: string;
  locale: string;
  status: ChangeOutcomeStatus;
  version: number | null;
  conflict_id: string | null;
  reason: string | null;
}

export function outcomeOfRow(row: OutcomeRow): ChangeOutcomeDto {
  return {
    changeId: row.change_id,
    seq: Number(row.seq),
    documentId: row.document_id,
    type: row.type,
    locale: row.locale,
    status: row.status,
    ...(row.version !== null ? { version: row.version } : {}),
    ...(row.conflict_id !== null ? { conflictId: row.conflict_id } : {}),
    ...(row.reason !== null ? { reason: row.reason } : {}),
  };
}

/** What a change asked about after its outcome may have been purged is told. */
export function expiredOutcome(change: ShipChangeDto, through: number): ChangeOutcomeDto {
  return rejectedOutcome(
    change,
    ChangeRejectionCode.OutcomeExpired,
    `outcomes of this ship's changes up to seq ${through} were purged after the retention period; the master keeps its copy`,
  );
}

/** The outcome recorded for every ship change, so a redelivered change gets the same answer. */
@Injectable()
export class RecordedOutcomes {
  /**
   * The outcome recorded for each change, by outcomeKey. A change without one at or below its
   * ship's `outcomes_purged_through` may have had its outcome purged (retention): it gets an
   * `outcome-expired` rejection instead of being decided again against today's documents.
   */
  async load(
    manager: EntityManager,
    changes: Array<{ shipId: string; change: ShipChangeDto }>,
  ): Promise<Map<string, ChangeOutcomeDto>> {
    const found = new Map<string, ChangeOutcomeDto>();
    if (changes.length === 0) return found;
    const rows = await manager.query<OutcomeRow[]>(
      `SELECT o.* FROM change_outcomes o
         JOIN unnest($1::text[], $2::uuid[]) AS k(ship_id, change_id)
           ON o.ship_id = k.ship_id AND o.change_id = k.change_id`,
      [changes.map((c) => c.shipId), changes.map((c) => c.change.changeId)],
    );
    for (const row of rows) found.set(outcomeKey(row.ship_id, row.change_id), outcomeOfRow(row));
    const unknown = changes.filter((c) => !found.has(outcomeKey(c.shipId, c.change.changeId)));
    if (unknown.length === 0) return found;
    const marks = await manager.query<Array<{ ship_id: string; through: string }>>(
      `SELECT ship_id, outcomes_purged_through AS through FROM ship_sequences
        WHERE ship_id = ANY($1::text[]) AND outcomes_purged_through > 0`,
      [[...new Set(unknown.map((c) => c.shipId))]],
    );
    const purgedThrough = new Map(marks.map((m) => [m.ship_id, Number(m.through)]));
    for (const { shipId, change } of unknown) {
      const through = purgedThrough.get(shipId) ?? 0;
      if (change.seq <= through) {
        found.set(outcomeKey(shipId, change.changeId), expiredOutcome(change, through));
      }
    }
    return found;
  }

  /**
   * By acceptedKey: the highest seq of a change each ship had accepted (applied or in a
   * conflict) for each document, so an older change arriving late is superseded.
   */
  async newestAccepted(
    manager: EntityManager,
    pairs: Array<DocumentRef & { shipId: string }>,
  ): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    if (pairs.length === 0) return found;
    const rows = await manager.query<
      Array<{ ship_id: string; type: string; document_id: string; locale: string; seq: string }>
    >(
      `SELECT o.ship_id, o.type, o.document_id, o.locale, max(o.seq) AS seq
         FROM change_outcomes o
         JOIN unnest($1::text[], $2::text[], $3::uuid[], $4::text[])
              AS k(ship_id, type, document_id, locale)
           ON o.ship_id = k.ship_id AND o.type = k.type AND o.document_id = k.document_id
          AND o.locale = k.locale
        WHERE o.status IN ('applied', 'conflict')
        GROUP BY o.ship_id, o.type, o.document_id, o.locale`,
      [
        pairs.map((p) => p.shipId),
        pairs.map((p) => p.type),
        pairs.map((p) => p.documentId),
        pairs.map((p) => p.locale),
      ],
    );
    for (const row of rows) {
      const ref = { type: row.type, documentId: row.document_id, locale: row.locale };
      found.set(acceptedKey(row.ship_id, ref), Number(row.seq));
    }
    return found;
  }

  /**
   * The final outcome of the changes a conflict held, once it is resolved: `status` at the
   * resolving master `version`, with `reason` (null for none). Returns them by seq.
   */
  async settleConflict(
    manager: EntityManager,
    conflictId: string,
    settled: { status: 'applied' | 'rejected'; version: number; reason: string | null },
  ): Promise<ChangeOutcomeDto[]> {
    const [rows] = await manager.query<[OutcomeRow[], number]>(
      `UPDATE change_outcomes SET status = $2, version = $3, reason = $4
        WHERE conflict_id = $1 RETURNING *`,
      [conflictId, settled.status, settled.version, settled.reason],
    );
    return rows.map(outcomeOfRow).sort((a, b) => a.seq - b.seq);
  }

  async record(
    manager: EntityManager,
    decided: Array<{ shipId: string; outcome: ChangeOutcomeDto }>,
  ): Promise<void> {
    if (decided.length === 0) return;
    await manager.query(
      `INSERT INTO change_outcomes (ship_id, change_id, seq, type, document_id, locale, status,
         version, conflict_id, reason)
       SELECT x.ship_id, x.change_id, x.seq, x.type, x.document_id, x.locale, x.status,
         x.version, x.conflict_id, x.reason
         FROM jsonb_to_recordset($1::jsonb) AS x(ship_id text, change_id uuid, seq bigint,
              type text, document_id uuid, locale text, status text, version int,
              conflict_id uuid, reason text)
       ON CONFLICT (ship_id, change_id) DO NOTHING`,
      [
        JSON.stringify(
          decided.map(({ shipId, outcome }) => ({
            ship_id: shipId,
            change_id: outcome.changeId,
            seq: outcome.seq,
            type: outcome.type,
            document_id: outcome.documentId,
            locale: outcome.locale,
            status: outcome.status,
            version: outcome.version ?? null,
            conflict_id: outcome.conflictId ?? null,
            reason: outcome.reason ?? null,
          })),
        ),
      ],
    );
  }
}
