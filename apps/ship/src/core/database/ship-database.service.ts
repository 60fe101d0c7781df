import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isStorageFull } from '@offline-sync/sync-core';
import { DataSource, type EntityManager } from 'typeorm';
import type { BetterSqlite3Driver } from 'typeorm/driver/better-sqlite3/BetterSqlite3Driver';
import { SerialExecutor } from './serial-executor';
import { SQLITE_SYNCHRONOUS } from './ship-data-source.options';
import { StorageState } from './storage-state';

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
 * A unit of work refused for want of space marks the database full (StorageState) until a later
 * one writes and commits.
 */
@Injectable()
export class ShipDatabase {
  private readonly serial = new SerialExecutor();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() readonly storage: StorageState = new StorageState(),
  ) {}

  /** All of `work` is committed, or none of it. */
  transaction<T>(
    work: (manager: EntityManager) => Promise<T>,
    durability: Durability = 'durable',
  ): Promise<T> {
    return this.serial.run(() => this.tracked(work, durability));
  }

  /** Reads that must not see another unit of work half done. */
  read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.serial.run(() => work(this.dataSource.manager));
  }

  /**
   * Runs a unit of work, keeping StorageState true: a refusal for want of space marks the
   * database full; while it is marked, a unit that wrote something and committed clears it.
   */
  private async tracked<T>(
    work: (manager: EntityManager) => Promise<T>,
    durability: Durability,
  ): Promise<T> {
    const watching = this.storage.full !== null;
    let wrote = false;
    const unit = !watching
      ? work
      : async (manager: EntityManager): Promise<T> => {
          const before = await this.writeMark(manager);
          const result = await work(manager);
          wrote = (await this.writeMark(manager)) !== before;
          return result;
        };
    try {
      const result =
        durability === 'durable' ? await this.inTransaction(unit) : await this.replayable(unit);
      if (wrote) this.storage.markWritable();
      return result;
    } catch (error) {
      if (isStorageFull(error)) this.storage.markFull(error);
      throw error;
    }
  }

  /**
   * Something that changes once the transaction has written: SQLite's count of changed rows on
   * this connection, PostgreSQL's transaction id (assigned at the first write).
   */
  private async writeMark(manager: EntityManager): Promise<string> {
    const [row] = await manager.query<{ mark: string | number | null }[]>(
      this.isPostgres()
        ? 'SELECT txid_current_if_assigned()::text AS mark'
        : 'SELECT total_changes() AS mark',
    );
    return String(row?.mark ?? '');
  }

  private async replayable<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.isPostgres()) {
      return this.dataSource.transaction(async (manager) => {
        await manager.query('SET LOCAL synchronous_commit = off');
        return work(manager);
      });
    }
    // SQLite takes the setting per connection, outside a transaction; the ship has one
    // connection and this unit of work has it alone (SerialExecutor).
    await this.dataSource.query('PRAGMA synchronous = NORMAL');
    try {
      return await this.inTransaction(work);
    } finally {
      await this.dataSource.query(`PRAGMA synchronous = ${SQLITE_SYNCHRONOUS}`);
    }
  }

  private inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.isPostgres() ? this.dataSource.transaction(work) : this.sqliteTransaction(work);
  }

  /**
   * TypeORM's transaction on the ship's one SQLite connection, except for its rollback. On some
   * errors (SQLITE_FULL among them) SQLite has already rolled the whole transaction back by
   * itself; TypeORM's ROLLBACK then fails, silently, and leaves it counting one transaction open.
   * Its next transaction becomes a savepoint, and once one of those is rolled back the connection
   * stays inside a transaction for good: every later "commit" is lost at the next restart. So
   * when SQLite has ended the transaction, an empty one is begun for TypeORM to roll back.
   */
  private async sqliteTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      const result = await work(runner.manager);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (!this.sqliteConnection().inTransaction) await runner.query('BEGIN');
      await runner.rollbackTransaction();
      throw error;
    }
  }

  private sqliteConnection(): { inTransaction: boolean } {
    return (this.dataSource.driver as BetterSqlite3Driver).databaseConnection as {
      inTransaction: boolean;
    };
  }

  private isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }
}

/** Splits a list for `IN (...)` queries. */
export function chunked<T>(items: readonly T[], size = IN_LIST_CHUNK): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
