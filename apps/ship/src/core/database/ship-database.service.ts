import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SerialExecutor } from './serial-executor';

/** Largest number of values bound in one `IN (...)` list (well under SQLite's variable limit). */
export const IN_LIST_CHUNK = 500;

/**
 * The ship's one way to reach its database: every unit of work runs alone (see SerialExecutor).
 * Never call `read` or `transaction` from inside another one: the inner call would wait forever.
 */
@Injectable()
export class ShipDatabase {
  private readonly serial = new SerialExecutor();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** All of `work` is committed, or none of it. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.serial.run(() => this.dataSource.transaction(work));
  }

  /** Reads that must not see another unit of work half done. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.serial.run(() => work(this.dataSource.manager));
  }
}

/** Splits a list for `IN (...)` queries. */
export function chunked<T>(items: readonly T[], size = IN_LIST_CHUNK): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
