import type { EntityManager } from 'typeorm';
import { entitySql } from '../core/database/entity-sql';
import { OutboxEnvelopeEntity } from './entities/outbox-envelope.entity';

/** A pending envelope by size only: its body stays on disk until it is sent. */
export interface PendingEnvelopeSize {
  messageId: string;
  bytes: number;
}

/**
 * The first `limit` pending envelopes in seq order, behind first seq `after` when given. Every
 * value is bound: TypeORM's SQLite driver writes numbers into the statement's text, which made
 * each send's `after` a statement of its own (one prepared per request, ~230 in 30 s of ingest)
 * that pushed the hot ones out of the ship's statement cache.
 */
export async function pendingEnvelopeSizes(
  manager: EntityManager,
  after: number | null,
  limit: number,
): Promise<PendingEnvelopeSize[]> {
  const { table, quote, mark } = entitySql(manager, OutboxEnvelopeEntity);
  const parameters: unknown[] = ['pending'];
  let where = `${quote('status')} = ${mark(parameters.length)}`;
  if (after !== null) {
    parameters.push(after);
    where += ` AND ${quote('first_seq')} > ${mark(parameters.length)}`;
  }
  parameters.push(limit);
  const rows = await manager.query<{ messageId: string; bytes: number | string }[]>(
    `SELECT ${quote('message_id')} AS ${quote('messageId')}, length(${quote('body')}) AS ${quote('bytes')}` +
      ` FROM ${table} WHERE ${where} ORDER BY ${quote('first_seq')} LIMIT ${mark(parameters.length)}`,
    parameters,
  );
  // PostgreSQL hands length() back as a string.
  return rows.map((row) => ({ messageId: row.messageId, bytes: Number(row.bytes) }));
}
