import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { inListChunks } from '../core/database/statement-sizes';
import type { ShipDb } from '../core/database/ship-tables';
import { AWAITING_MASTER_STATUSES } from '../outbox/sync-queue.table';
import type { EnvelopeSize } from './send-budget';
import { outboxEnvelope, syncEnvelopeRow, type OutboxEnvelope } from './sync-envelopes.table';

/** A pending envelope by size only: its body stays on disk until it is sent. */
export interface PendingEnvelopeSize extends EnvelopeSize {
  messageId: string;
}

/**
 * The `sync_envelopes` table's owner: the relay seals, sends, marks and requeues envelopes (the
 * re-ask seals some too) and retention purges them through these methods, each inside the
 * caller's unit of work.
 */
@Injectable()
export class EnvelopesRepository {
  async insert(db: ShipDb, envelope: OutboxEnvelope): Promise<void> {
    await db.insertInto('sync_envelopes').values(syncEnvelopeRow(envelope)).execute();
  }

  /** Whether an envelope that exhausted its retries holds the line. */
  async anyFailed(db: ShipDb): Promise<boolean> {
    const row = await db
      .selectFrom('sync_envelopes')
      .select('message_id')
      .where('status', '=', 'failed')
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * The first `limit` pending envelopes in seq order, behind first seq `after` when given, by
   * size only. Every value is bound: one text serves every request (statement-sizes).
   */
  async pendingSizes(
    db: ShipDb,
    after: number | null,
    limit: number,
  ): Promise<PendingEnvelopeSize[]> {
    let query = db
      .selectFrom('sync_envelopes')
      .select((eb) => ['message_id', eb.fn<number | string>('length', ['body']).as('bytes')])
      .where('status', '=', 'pending');
    if (after !== null) query = query.where('first_seq', '>', after);
    const rows = await query.orderBy('first_seq').limit(limit).execute();
    // PostgreSQL may hand length() back as a string.
    return rows.map((row) => ({ messageId: row.message_id, bytes: Number(row.bytes) }));
  }

  /** Whole envelopes (bodies included) in seq order. */
  async load(db: ShipDb, messageIds: readonly string[]): Promise<OutboxEnvelope[]> {
    const found: OutboxEnvelope[] = [];
    for (const chunk of inListChunks(messageIds)) {
      const rows = await db
        .selectFrom('sync_envelopes')
        .selectAll()
        .where('message_id', 'in', chunk)
        .orderBy('first_seq')
        .execute();
      for (const row of rows) found.push(outboxEnvelope(row));
    }
    return found.sort((a, b) => a.firstSeq - b.firstSeq);
  }

  /** Ids of the envelopes that exhausted their retries. */
  async failedIds(db: ShipDb): Promise<string[]> {
    const rows = await db
      .selectFrom('sync_envelopes')
      .select('message_id')
      .where('status', '=', 'failed')
      .execute();
    return rows.map((row) => row.message_id);
  }

  /** Failed envelopes back to pending, attempts reset. */
  async requeue(db: ShipDb, messageIds: readonly string[]): Promise<void> {
    for (const chunk of inListChunks(messageIds)) {
      await db
        .updateTable('sync_envelopes')
        .set({ status: 'pending', attempts: 0 })
        .where('message_id', 'in', chunk)
        .execute();
    }
  }

  async markSent(
    db: ShipDb,
    messageIds: readonly string[],
    sent: { tries: number; now: string },
  ): Promise<void> {
    for (const chunk of inListChunks(messageIds)) {
      await db
        .updateTable('sync_envelopes')
        .set({ status: 'sent', sent_at: sent.now, attempts: sent.tries, last_error: null })
        .where('message_id', 'in', chunk)
        .execute();
    }
  }

  async markFailed(
    db: ShipDb,
    messageIds: readonly string[],
    failure: { tries: number; reason: string },
  ): Promise<void> {
    for (const chunk of inListChunks(messageIds)) {
      await db
        .updateTable('sync_envelopes')
        .set({ status: 'failed', attempts: failure.tries, last_error: failure.reason })
        .where('message_id', 'in', chunk)
        .execute();
    }
  }

  /**
   * Deletes up to `limit` envelopes sent before `cutoff` none of whose changes still awaits the
   * master, oldest first; returns how many.
   */
  async purgeSent(db: ShipDb, cutoff: string, limit: number): Promise<number> {
    const result = await db
      .deleteFrom('sync_envelopes')
      .where('message_id', 'in', (eb) =>
        eb
          .selectFrom('sync_envelopes as e')
          .select('e.message_id')
          .where('e.status', '=', 'sent')
          .where('e.sent_at', '<', cutoff)
          .where((inner) =>
            inner.not(
              inner.exists(
                inner
                  .selectFrom('sync_queue as q')
                  .select(sql.lit(1).as('awaiting'))
                  .whereRef('q.message_id', '=', 'e.message_id')
                  .where('q.status', 'in', AWAITING_MASTER_STATUSES),
              ),
            ),
          )
          .orderBy('e.first_seq')
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
