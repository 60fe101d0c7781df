import { Injectable } from '@nestjs/common';
import type { DeadLetterEntry } from '@offline-sync/sync-core';
import { isoNow } from '../core/database/iso-now';
import type { ShipDb } from '../core/database/ship-tables';

/** The `dead_letters` table's owner, inside the caller's unit of work. */
@Injectable()
export class DeadLettersRepository {
  async insert(db: ShipDb, entry: DeadLetterEntry): Promise<void> {
    await db
      .insertInto('dead_letters')
      .values({
        topic: entry.topic,
        partition: entry.partition,
        message_offset: entry.offset,
        message_key: entry.key,
        value: entry.value,
        value_encoding: entry.valueEncoding,
        headers: JSON.stringify(entry.headers),
        reason: entry.reason,
        detail: entry.detail.slice(0, 10_000),
        sender: entry.sender?.slice(0, 64) ?? null,
        message_id: entry.messageId?.slice(0, 64) ?? null,
        created_at: isoNow(),
      })
      .execute();
  }

  async count(db: ShipDb): Promise<number> {
    const row = await db
      .selectFrom('dead_letters')
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  /** Deletes up to `limit` dead letters received before `cutoff`, oldest first; how many. */
  async purgeBefore(db: ShipDb, cutoff: string, limit: number): Promise<number> {
    const result = await db
      .deleteFrom('dead_letters')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('dead_letters as l')
          .select('l.id')
          .where('l.created_at', '<', cutoff)
          .orderBy('l.id')
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
