import { Injectable } from '@nestjs/common';
import type { AppliedPosition, StoredPosition } from '@offline-sync/sync-core';
import type { EntityManager } from 'typeorm';
import { entitySql } from '../core/database/entity-sql';
import { isoNow } from '../core/database/iso-now';
import { ShipDatabase } from '../core/database/ship-database.service';
import { InboxPositionEntity } from './entities/inbox-position.entity';

/** The ship's own record of how far it has applied each topic partition. */
@Injectable()
export class InboxPositionsService {
  constructor(private readonly db: ShipDatabase) {}

  /** Where the consumer seeks on start. */
  load(): Promise<StoredPosition[]> {
    return this.db.read(async (manager) =>
      (await manager.find(InboxPositionEntity)).map((row) => ({
        topic: row.topic,
        partition: row.partition,
        offset: row.nextOffset,
      })),
    );
  }

  /**
   * Records `lastOffset + 1` as the next offset to read, in the caller's transaction, in one
   * statement (every slice of master updates and outcomes ends with it). Never moves backwards:
   * a re-read after POST pull from the beginning re-applies idempotently.
   */
  async advance(
    manager: EntityManager,
    topic: string,
    partition: number,
    lastOffset: string,
  ): Promise<void> {
    const nextOffset = (BigInt(lastOffset) + 1n).toString();
    const { table, quote, mark } = entitySql(manager, InboxPositionEntity);
    const [key, part, next, at] = ['topic', 'partition', 'next_offset', 'updated_at'].map(quote);
    await manager.query(
      `INSERT INTO ${table} (${key}, ${part}, ${next}, ${at})
         VALUES (${mark(1)}, ${mark(2)}, ${mark(3)}, ${mark(4)})
       ON CONFLICT (${key}, ${part}) DO UPDATE SET ${next} = excluded.${next}, ${at} = excluded.${at}
         WHERE CAST(${table}.${next} AS BIGINT) < CAST(excluded.${next} AS BIGINT)`,
      [topic, partition, nextOffset, isoNow()],
    );
  }

  /** `{ partition: nextOffset }` of one topic, as a heartbeat reports it. */
  async appliedPosition(manager: EntityManager, topic: string): Promise<AppliedPosition> {
    const rows = await manager.find(InboxPositionEntity, { where: { topic } });
    return Object.fromEntries(rows.map((row) => [String(row.partition), row.nextOffset]));
  }
}
