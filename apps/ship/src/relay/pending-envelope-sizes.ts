import type { EntityManager } from 'typeorm';
import { columnOf, entitySql } from '../core/database/entity-sql';
import { OutboxEnvelopeEntity } from './entities/outbox-envelope.entity';
import type { EnvelopeSize } from './send-budget';

/** A pending envelope by size only: its body stays on disk until it is sent. */
export interface PendingEnvelopeSize extends EnvelopeSize {
  messageId: string;
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
  const { metadata, table, quote, bind, mark } = entitySql(manager, OutboxEnvelopeEntity);
  const column = (property: keyof OutboxEnvelopeEntity) =>
    columnOf('pendingEnvelopeSizes', metadata, property);
  const name = (property: keyof OutboxEnvelopeEntity): string =>
    quote(column(property).databaseName);
  const parameters: unknown[] = [];
  let where = `${name('status')} = ${bind(parameters, 'pending', column('status'))}`;
  if (after !== null) {
    where += ` AND ${name('firstSeq')} > ${bind(parameters, after, column('firstSeq'))}`;
  }
  parameters.push(limit);
  const rows = await manager.query<{ messageId: string; bytes: number | string }[]>(
    `SELECT ${name('messageId')} AS ${quote('messageId')}, length(${name('body')}) AS ${quote('bytes')}` +
      ` FROM ${table} WHERE ${where} ORDER BY ${name('firstSeq')} LIMIT ${mark(parameters.length)}`,
    parameters,
  );
  // PostgreSQL hands length() back as a string.
  return rows.map((row) => ({ messageId: row.messageId, bytes: Number(row.bytes) }));
}
