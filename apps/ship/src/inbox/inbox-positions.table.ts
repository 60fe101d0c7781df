/**
 * How far the ship has applied a topic partition, written in the same transaction as what was
 * applied. The consumer seeks here on start, so nothing depends on the broker keeping group
 * offsets.
 */
export interface InboxPositionsTable {
  topic: string;
  partition: number;
  /** Offset of the next message to read (decimal string: Kafka offsets are 64-bit). */
  next_offset: string;
  updated_at: string;
}

declare module '../core/database/ship-tables' {
  interface ShipTables {
    inbox_positions: InboxPositionsTable;
  }
}
