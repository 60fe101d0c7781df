import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { insertRows } from './insert-rows';
import { SyncMetaEntity } from './sync-meta.entity';

export type SyncMetaName =
  | 'last_seq'
  | 'last_push_at'
  | 'last_pull_at'
  | 'last_outcome_at'
  | 'heartbeat_seq'
  | 'clock_correction_ms';

/** Named values in `sync_meta`, always read and written inside the caller's unit of work. */
@Injectable()
export class SyncMetaService {
  async get(manager: EntityManager, name: SyncMetaName): Promise<string | null> {
    const row = await manager.findOne(SyncMetaEntity, { where: { name } });
    return row?.value ?? null;
  }

  /** One prepared statement (TypeORM's upsert builds its query anew each time). */
  async set(manager: EntityManager, name: SyncMetaName, value: string): Promise<void> {
    const row = Object.assign(new SyncMetaEntity(), { name, value });
    await insertRows(manager, SyncMetaEntity, [row], {
      conflict: { columns: ['name'], update: ['value'] },
      rowsPerStatement: 1,
    });
  }

  async getAll(manager: EntityManager): Promise<Partial<Record<SyncMetaName, string>>> {
    const rows = await manager.find(SyncMetaEntity);
    return Object.fromEntries(rows.map((row) => [row.name, row.value]));
  }
}
