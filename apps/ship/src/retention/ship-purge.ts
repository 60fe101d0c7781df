import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { DocumentEntity } from '../content/entities/document.entity';
import { columnOf, entitySql, type EntitySql } from '../core/database/entity-sql';
import type { ShipDatabase } from '../core/database/ship-database.service';
import { DeadLetterEntity } from '../dead-letters/entities/dead-letter.entity';
import {
  AWAITING_MASTER_STATUSES,
  OutboxChangeEntity,
} from '../outbox/entities/outbox-change.entity';
import { OutboxEnvelopeEntity } from '../relay/entities/outbox-envelope.entity';

/** Rows deleted per transaction: SQLite runs on the event loop, so each stays short. */
export const SHIP_PURGE_BATCH = 500;

/** What one purge deleted. */
export interface ShipPurgeCounts {
  changes: number;
  envelopes: number;
  deadLetters: number;
}

/** A settled change's statuses: the master decided it (or the ship refused to send it). */
const SETTLED_STATUSES = ['applied', 'rejected', 'conflict'] as const;

/**
 * Deletes the ship's settled history older than `cutoff` (an ISO time), a batch per transaction,
 * oldest first (docs/protocol.md, "Retention"):
 * - queue rows the master settled (applied, rejected, conflict) longer ago than the cutoff,
 *   except a conflict row whose conflict is still the document's open one;
 * - envelopes sent before the cutoff none of whose changes still awaits the master;
 * - dead letters received before the cutoff (nothing retries them on a ship).
 * Nothing that awaits the master (pending, sending, sent, failed) is touched, nor any document:
 * a document carries its own sync state, conflict and reason.
 */
export async function purgeShipHistory(
  db: ShipDatabase,
  cutoff: string,
  options: { batch?: number; stopped?: () => boolean } = {},
): Promise<ShipPurgeCounts> {
  const batch = options.batch ?? SHIP_PURGE_BATCH;
  const stopped = options.stopped ?? (() => false);
  const inBatches = async (
    statement: (manager: EntityManager) => Promise<number>,
  ): Promise<number> => {
    let total = 0;
    for (;;) {
      // Replayable: a purge lost with a power cut is simply done again.
      const deleted = await db.transaction(statement, 'replayable');
      total += deleted;
      if (deleted < batch || stopped()) return total;
    }
  };
  return {
    changes: await inBatches((manager) => deleteSettledChanges(manager, cutoff, batch)),
    envelopes: await inBatches((manager) => deleteSentEnvelopes(manager, cutoff, batch)),
    deadLetters: await inBatches((manager) => deleteOldDeadLetters(manager, cutoff, batch)),
  };
}

async function deleteSettledChanges(
  manager: EntityManager,
  cutoff: string,
  batch: number,
): Promise<number> {
  const q = table(manager, OutboxChangeEntity, 'q');
  const d = table(manager, DocumentEntity, 'd');
  const parameters: unknown[] = [];
  const settled = SETTLED_STATUSES.map((status) => q.bind(parameters, status, 'status'));
  const before = q.bind(parameters, cutoff, 'settledAt');
  const conflict = d.bind(parameters, 'conflict', 'syncState');
  const limit = q.mark(parameters.push(batch));
  return deleted(
    manager,
    `DELETE FROM ${q.table} WHERE ${q.name('id')} IN (
       SELECT ${q.col('id')} FROM ${q.table} ${q.alias}
        WHERE ${q.col('status')} IN (${settled.join(', ')}) AND ${q.col('settledAt')} < ${before}
          AND NOT EXISTS (SELECT 1 FROM ${d.table} ${d.alias}
                           WHERE ${d.col('key')} = ${q.col('docKey')}
                             AND ${d.col('syncState')} = ${conflict}
                             AND ${d.col('conflictId')} = ${q.col('conflictId')})
        ORDER BY ${q.col('id')} LIMIT ${limit})`,
    parameters,
  );
}

async function deleteSentEnvelopes(
  manager: EntityManager,
  cutoff: string,
  batch: number,
): Promise<number> {
  const e = table(manager, OutboxEnvelopeEntity, 'e');
  const q = table(manager, OutboxChangeEntity, 'q');
  const parameters: unknown[] = [];
  const sent = e.bind(parameters, 'sent', 'status');
  const before = e.bind(parameters, cutoff, 'sentAt');
  const awaiting = AWAITING_MASTER_STATUSES.map((status) => q.bind(parameters, status, 'status'));
  const limit = e.mark(parameters.push(batch));
  return deleted(
    manager,
    `DELETE FROM ${e.table} WHERE ${e.name('messageId')} IN (
       SELECT ${e.col('messageId')} FROM ${e.table} ${e.alias}
        WHERE ${e.col('status')} = ${sent} AND ${e.col('sentAt')} < ${before}
          AND NOT EXISTS (SELECT 1 FROM ${q.table} ${q.alias}
                           WHERE ${q.col('messageId')} = ${e.col('messageId')}
                             AND ${q.col('status')} IN (${awaiting.join(', ')}))
        ORDER BY ${e.col('firstSeq')} LIMIT ${limit})`,
    parameters,
  );
}

async function deleteOldDeadLetters(
  manager: EntityManager,
  cutoff: string,
  batch: number,
): Promise<number> {
  const l = table(manager, DeadLetterEntity, 'l');
  const parameters: unknown[] = [];
  const before = l.bind(parameters, cutoff, 'createdAt');
  const limit = l.mark(parameters.push(batch));
  return deleted(
    manager,
    `DELETE FROM ${l.table} WHERE ${l.name('id')} IN (
       SELECT ${l.col('id')} FROM ${l.table} ${l.alias}
        WHERE ${l.col('createdAt')} < ${before} ORDER BY ${l.col('id')} LIMIT ${limit})`,
    parameters,
  );
}

/** Rows the statement deleted (run on the transaction's own connection). */
async function deleted(
  manager: EntityManager,
  sql: string,
  parameters: unknown[],
): Promise<number> {
  if (!manager.queryRunner) throw new Error('purgeShipHistory: a transaction is required');
  const result = await manager.queryRunner.query(sql, parameters, true);
  return result.affected ?? 0;
}

/** An entity's table under an alias: its columns named and its values bound by property. */
function table<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  alias: string,
): {
  table: string;
  alias: string;
  /** The column, unqualified. */
  name: (property: keyof T & string) => string;
  /** The column, qualified by the alias. */
  col: (property: keyof T & string) => string;
  bind: (parameters: unknown[], value: unknown, property: keyof T & string) => string;
  mark: EntitySql['mark'];
} {
  const sql = entitySql(manager, entity);
  const column = (property: string) => columnOf('purgeShipHistory', sql.metadata, property);
  const name = (property: string): string => sql.quote(column(property).databaseName);
  return {
    table: sql.table,
    alias: sql.quote(alias),
    name,
    col: (property) => `${sql.quote(alias)}.${name(property)}`,
    bind: (parameters, value, property) => sql.bind(parameters, value, column(property)),
    mark: sql.mark,
  };
}
