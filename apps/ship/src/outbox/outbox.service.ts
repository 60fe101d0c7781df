import { Injectable } from '@nestjs/common';
import type { ShipChangeOp } from '@offline-sync/sync-core';
import { In, type EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { chunked } from '../core/database/ship-database.service';
import { isoNow } from '../core/database/iso-now';
import { coalesceChanges } from './coalesce-changes';
import {
  AWAITING_MASTER_STATUSES,
  OUTBOX_STATUSES,
  OutboxChangeEntity,
  UNDELIVERED_STATUSES,
  type OutboxStatus,
} from './entities/outbox-change.entity';
import { toOutboxChangeView, type OutboxChangeView } from './outbox-change.view';

export interface NewChange {
  docKey: string;
  type: string;
  documentId: string;
  locale: string;
  op: ShipChangeOp;
  fields: Record<string, unknown>;
  baseVersion: number;
}

export type EnqueueResult = 'queued' | 'coalesced' | 'cancelled';

export interface QueuePage {
  items: OutboxChangeView[];
  page: number;
  pageSize: number;
  total: number;
}

/**
 * The transactional outbox: every method takes the caller's EntityManager, so a change row is
 * written in the same transaction as the document it describes.
 */
@Injectable()
export class OutboxService {
  /** Queues a change, folding it into the document's unsent change when there is one. */
  async enqueue(manager: EntityManager, change: NewChange): Promise<EnqueueResult> {
    const now = isoNow();
    // At most one unsent row per document exists (later edits fold into it), and it is the newest.
    // A create starts a document's history: there is nothing to fold into (saves a query).
    const unsent =
      change.op === 'create'
        ? null
        : await manager.findOne(OutboxChangeEntity, {
            where: { docKey: change.docKey, status: 'pending' },
            order: { id: 'DESC' },
          });
    if (unsent) {
      const result = coalesceChanges(
        { op: unsent.op, fields: JSON.parse(unsent.fields) as Record<string, unknown> },
        { op: change.op, fields: change.fields },
      );
      if (result.kind === 'cancel') {
        await manager.delete(OutboxChangeEntity, { id: unsent.id });
        return 'cancelled';
      }
      await manager.update(
        OutboxChangeEntity,
        { id: unsent.id },
        { op: result.op, fields: JSON.stringify(result.fields), editedAt: now, updatedAt: now },
      );
      return 'coalesced';
    }
    // updateEntity(false): nothing to read back (TypeORM would re-select the generated id and
    // defaults on SQLite, one more round trip on every crew write).
    await manager
      .createQueryBuilder()
      .insert()
      .into(OutboxChangeEntity)
      .values({
        changeId: uuidv7(),
        docKey: change.docKey,
        type: change.type,
        documentId: change.documentId,
        locale: change.locale,
        op: change.op,
        baseVersion: change.baseVersion,
        fields: JSON.stringify(change.fields),
        editedAt: now,
        status: 'pending',
        attempts: 0,
        createdAt: now,
        updatedAt: now,
      })
      .updateEntity(false)
      .execute();
    return 'queued';
  }

  async list(
    manager: EntityManager,
    statuses: readonly OutboxStatus[] | undefined,
    page: number,
    pageSize: number,
  ): Promise<QueuePage> {
    const where = statuses ? { status: In([...statuses]) } : {};
    const [rows, total] = await manager.findAndCount(OutboxChangeEntity, {
      where,
      order: { id: 'ASC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items: rows.map(toOutboxChangeView), page, pageSize, total };
  }

  async counts(manager: EntityManager): Promise<Record<OutboxStatus, number>> {
    const rows = await manager
      .createQueryBuilder(OutboxChangeEntity, 'c')
      .select('c.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .groupBy('c.status')
      .getRawMany<{ status: OutboxStatus; count: string | number }>();
    const counts = Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as Record<
      OutboxStatus,
      number
    >;
    for (const row of rows) counts[row.status] = Number(row.count);
    return counts;
  }

  /** Creation time of the oldest change the broker has not confirmed yet. */
  async oldestUndeliveredAt(manager: EntityManager): Promise<string | null> {
    const row = await manager.findOne(OutboxChangeEntity, {
      where: { status: In([...UNDELIVERED_STATUSES]) },
      order: { id: 'ASC' },
    });
    return row?.createdAt ?? null;
  }

  /** Of the given documents, those with a local change the master has not decided on. */
  async awaitingMaster(manager: EntityManager, docKeys: readonly string[]): Promise<Set<string>> {
    const waiting = new Set<string>();
    for (const keys of chunked([...new Set(docKeys)])) {
      const rows = await manager
        .createQueryBuilder(OutboxChangeEntity, 'c')
        .select('DISTINCT c.docKey', 'docKey')
        .where('c.docKey IN (:...keys)', { keys })
        .andWhere('c.status IN (:...statuses)', { statuses: [...AWAITING_MASTER_STATUSES] })
        .getRawMany<{ docKey: string }>();
      for (const row of rows) waiting.add(row.docKey);
    }
    return waiting;
  }
}
