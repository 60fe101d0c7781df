import { Injectable, Optional } from '@nestjs/common';
import { isStorageFull } from '@offline-sync/sync-core';
import { sql } from 'kysely';
import { SerialExecutor } from './serial-executor';
import { SQLITE_SYNCHRONOUS, ShipConnection } from './ship-connection';
import type { ShipDb } from './ship-tables';
import { StorageState } from './storage-state';

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
    private readonly connection: ShipConnection,
    @Optional() readonly storage: StorageState = new StorageState(),
  ) {}

  /** All of `work` is committed, or none of it. */
  transaction<T>(work: (db: ShipDb) => Promise<T>, durability: Durability = 'durable'): Promise<T> {
    return this.serial.run(() => this.tracked(work, durability));
  }

  /** Reads that must not see another unit of work half done. */
  read<T>(work: (db: ShipDb) => Promise<T>): Promise<T> {
    return this.serial.run(() => work(this.connection.db));
  }

  /** One trivial statement, outside the queue of units of work: does the database answer? */
  async ping(): Promise<void> {
    await sql`SELECT 1`.execute(this.connection.db);
  }

  /**
   * Runs a unit of work, keeping StorageState true: a refusal for want of space marks the
   * database full; while it is marked, a unit that wrote something and committed clears it.
   */
  private async tracked<T>(work: (db: ShipDb) => Promise<T>, durability: Durability): Promise<T> {
    const watching = this.storage.full !== null;
    let wrote = false;
    const unit = !watching
      ? work
      : async (db: ShipDb): Promise<T> => {
          const before = await this.writeMark(db);
          const result = await work(db);
          wrote = (await this.writeMark(db)) !== before;
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
  private async writeMark(db: ShipDb): Promise<string> {
    const { rows } = await (
      this.isPostgres()
        ? sql<{ mark: string | null }>`SELECT txid_current_if_assigned()::text AS mark`
        : sql<{ mark: number }>`SELECT total_changes() AS mark`
    ).execute(db);
    return String(rows[0]?.mark ?? '');
  }

  private async replayable<T>(work: (db: ShipDb) => Promise<T>): Promise<T> {
    if (this.isPostgres()) {
      return this.connection.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL synchronous_commit = off`.execute(trx);
        return work(trx);
      });
    }
    // SQLite takes the setting per connection, outside a transaction; the ship has one
    // connection and this unit of work has it alone (SerialExecutor).
    await sql`PRAGMA synchronous = NORMAL`.execute(this.connection.db);
    try {
      return await this.inTransaction(work);
    } finally {
      await sql.raw(`PRAGMA synchronous = ${SQLITE_SYNCHRONOUS}`).execute(this.connection.db);
    }
  }

  private inTransaction<T>(work: (db: ShipDb) => Promise<T>): Promise<T> {
    return this.isPostgres()
      ? this.connection.db.transaction().execute(work)
      : this.sqliteTransaction(work);
  }

  /**
   * A transaction on the ship's one SQLite connection, rolled back with care: on some errors
   * (SQLITE_FULL among them) SQLite has already rolled the whole transaction back by itself, and a
   * ROLLBACK then fails with an error of its own that would hide the one that counts. So when
   * SQLite has ended the transaction, an empty one is begun for the rollback to end.
   */
  private async sqliteTransaction<T>(work: (db: ShipDb) => Promise<T>): Promise<T> {
    const trx = await this.connection.db.startTransaction().execute();
    try {
      const result = await work(trx);
      await trx.commit().execute();
      return result;
    } catch (error) {
      if (!this.connection.sqlite?.inTransaction) await sql`BEGIN`.execute(trx);
      await trx.rollback().execute();
      throw error;
    }
  }

  private isPostgres(): boolean {
    return this.connection.client === 'postgres';
  }
}
