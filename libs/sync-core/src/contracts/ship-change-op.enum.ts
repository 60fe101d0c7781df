/** What a ship change does to a document. */
export type ShipChangeOp = 'create' | 'update' | 'delete';

export const SHIP_CHANGE_OPS: readonly ShipChangeOp[] = ['create', 'update', 'delete'];
