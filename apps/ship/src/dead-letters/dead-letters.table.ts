import type { Generated } from 'kysely';

/** A received message that was not applied (bad signature, invalid payload...), with why. */
export interface DeadLettersTable {
  id: Generated<number>;
  topic: string;
  partition: number;
  message_offset: string;
  message_key: string | null;
  value: string;
  value_encoding: 'utf8' | 'base64';
  /** JSON text. */
  headers: string;
  reason: string;
  detail: string;
  sender: string | null;
  message_id: string | null;
  created_at: string;
}

declare module '../core/database/ship-tables' {
  interface ShipTables {
    dead_letters: DeadLettersTable;
  }
}
