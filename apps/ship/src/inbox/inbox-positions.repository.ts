import { Injectable } from '@nestjs/common';
import type { AppliedPosition, StoredPosition } from '@offline-sync/sync-core';
import { sql } from 'kysely';
import { isoNow } from '../core/database/iso-now';
import type { ShipDb } from '../core/database/ship-tables';

/**
 * The `inbox_positions` table's owner: the ship's own record of how far it has applied each topic
 * partition, read and written inside the caller's unit of work.
 */
@Injectable()
export class InboxPositionsRepository {
  /** Where the consumer seeks on start. */
  async load(db: ShipDb): Promise<StoredPosition[]> {
    const rows = await db
      .selectFrom('inbox_positions')
      .select(['topic', 'partition', 'next_offset'])
      .execute();
    return rows.map((row) => ({
      topic: row.topic,
      partition: row.partition,
      offset: row.next_offset,
    }));
  }

  /**
   * Records `lastOffset + 1` as the next offset to read, in one statement (every slice of master
   * updates and outcomes ends with it). Never moves backwards: a re-read after POST pull from the
   * beginning re-applies idempotently.
   */
  async advance(db: ShipDb, topic: string, partition: number, lastOffset: string): Promise<void> {
    const nextOffset = (BigInt(lastOffset) + 1n).toString();
    await db
      .insertInto('inbox_positions')
      .values({ topic, partition, next_offset: nextOffset, updated_at: isoNow() })
      .onConflict((clash) =>
        clash
          .columns(['topic', 'partition'])
          .doUpdateSet((eb) => ({
            next_offset: eb.ref('excluded.next_offset'),
            updated_at: eb.ref('excluded.updated_at'),
          }))
          .where(
            sql`CAST(${sql.ref('inbox_positions.next_offset')} AS BIGINT)`,
            '<',
            sql`CAST(${sql.ref('excluded.next_offset')} AS BIGINT)`,
          ),
      )
      .execute();
  }

  /** `{ partition: nextOffset }` of one topic, as a heartbeat reports it. */
  async appliedPosition(db: ShipDb, topic: string): Promise<AppliedPosition> {
    const rows = await db
      .selectFrom('inbox_positions')
      .select(['partition', 'next_offset'])
      .where('topic', '=', topic)
      .execute();
    return Object.fromEntries(rows.map((row) => [String(row.partition), row.next_offset]));
  }
}
