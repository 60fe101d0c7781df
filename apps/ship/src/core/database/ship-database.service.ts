import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SerialExecutor } from './serial-executor';
import { SQLITE_SYNCHRONOUS } from './ship-data-source.options';

/** Largest number of values bound in one `IN (...)` list (well under SQLite's variable limit). */
export const IN_LIST_CHUNK = 500;

/**
 * How a unit of work's commit reaches the disk.
 * - `durable` (crew writes, seals, everything by default): synced before the promise resolves,
 *   so it survives a power loss, not only a crash of the process.
 * - `replayable`: work that Kafka redelivers when its commit is lost: applied records together
 *   with the stored position past them (the consumer seeks there on start), or a mark whose loss
 *   only re-sends the same bytes. Its commit is not synced on its own: a process crash still
 *   loses nothing, a power loss may roll it back with the position, and the records are read and
 *   applied again. The next durable commit syncs it with everything before it (SQLite's WAL and
 *   PostgreSQL's log reach the disk in order), so a durable commit never outlives one before it.
 *   The inbound consumers commit several times a second; syncing each was a third of the
 *   ship's commit waits in the ingest benchmark, with the event loop held for every one.
 */
export type Durability = 'durable' | 'replayable';

/**
 * The ship's one way to reach its database: every unit of work runs alone (see SerialExecutor).
 * Never call `read` or `transaction` from inside another one: the inner call would wait forever.
 */
@Injectable()
export class ShipDatabase {
  private readonly serial = new SerialExecutor();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** All of `work` is committed, or none of it. */
  transaction<T>(
    work: (manager: EntityManager) => Promise<T>,
    durability: Durability = 'durable',
  ): Promise<T> {
    return this.serial.run(() =>
      durability === 'durable' ? this.dataSource.transaction(work) : this.replayable(work),
    );
  }

  private async replayable<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type === 'postgres') {
      return this.dataSource.transaction(async (manager) => {
        await manager.query('SET LOCAL synchronous_commit = off');
        return work(manager);
      });
    }
    // SQLite takes the setting per connection, outside a transaction; the ship has one
    // connection and this unit of work has it alone (SerialExecutor).
    await this.dataSource.query('PRAGMA synchronous = NORMAL');
    try {
      return await this.dataSource.transaction(work);
    } finally {
      await this.dataSource.query(`PRAGMA synchronous = ${SQLITE_SYNCHRONOUS}`);
    }
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
