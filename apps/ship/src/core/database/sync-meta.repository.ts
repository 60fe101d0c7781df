import { Injectable } from '@nestjs/common';
import type { ShipDb } from './ship-tables';

/** Small named values the ship keeps: the last assigned seq, last push/pull times. */
export interface SyncMetaTable {
  name: string;
  value: string;
}

export type SyncMetaName =
  | 'last_seq'
  | 'last_push_at'
  | 'last_pull_at'
  | 'last_outcome_at'
  | 'heartbeat_seq'
  | 'clock_correction_ms'
  /** Written and deleted again by the storage probe (StorageHealthIndicator). */
  | 'storage_probe';

/** The `sync_meta` table's owner: always read and written inside the caller's unit of work. */
@Injectable()
export class SyncMetaRepository {
  async get(db: ShipDb, name: SyncMetaName): Promise<string | null> {
    const row = await db
      .selectFrom('sync_meta')
      .select('value')
      .where('name', '=', name)
      .executeTakeFirst();
    return row?.value ?? null;
  }

  async set(db: ShipDb, name: SyncMetaName, value: string): Promise<void> {
    await db
      .insertInto('sync_meta')
      .values({ name, value })
      .onConflict((clash) =>
        clash.column('name').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
      )
      .execute();
  }

  async remove(db: ShipDb, name: SyncMetaName): Promise<void> {
    await db.deleteFrom('sync_meta').where('name', '=', name).execute();
  }

  async getAll(db: ShipDb): Promise<Partial<Record<SyncMetaName, string>>> {
    const rows = await db.selectFrom('sync_meta').select(['name', 'value']).execute();
    return Object.fromEntries(rows.map((row) => [row.name, row.value]));
  }
}
