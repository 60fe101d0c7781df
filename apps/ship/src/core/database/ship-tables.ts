import type { Kysely } from 'kysely';
import type { SyncMetaTable } from './sync-meta.repository';

/**
 * The ship's tables as stored (database column names), each defined beside the repository of the
 * module that owns it: only that repository writes it. Core owns this interface and declares its
 * own table; every other module adds its table to it from its `*.table.ts` (declaration merging),
 * so that core never imports a capability.
 */
export interface ShipTables {
  sync_meta: SyncMetaTable;
}

/**
 * What a unit of work reaches the database through (ShipDatabase): the transaction, or the
 * connection itself for reads.
 */
export type ShipDb = Kysely<ShipTables>;
