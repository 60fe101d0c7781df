import { Injectable } from '@nestjs/common';
import type { AppliedPosition, StoredPosition } from '@offline-sync/sync-core';
import type { EntityManager } from 'typeorm';
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

  /** Records `lastOffset + 1` as the next offset to read, in the caller's transaction. */
  async advance(
    manager: EntityManager,
    topic: string,
    partition: number,
    lastOffset: string,
  ): Promise<void> {
    const nextOffset = (BigInt(lastOffset) + 1n).toString();
    const current = await manager.findOne(InboxPositionEntity, { where: { topic, partition } });
    // Never move backwards (a re-read after POST pull from the beginning re-applies idempotently).
    if (current && BigInt(current.nextOffset) >= BigInt(nextOffset)) return;
    await manager.upsert(
      InboxPositionEntity,
      { topic, partition, nextOffset, updatedAt: isoNow() },
      ['topic', 'partition'],
    );
  }

  /** `{ partition: nextOffset }` of one topic, as a heartbeat reports it. */
  async appliedPosition(manager: EntityManager, topic: string): Promise<AppliedPosition> {
    const rows = await manager.find(InboxPositionEntity, { where: { topic } });
    return Object.fromEntries(rows.map((row) => [String(row.partition), row.nextOffset]));
  }
}
