import type { ShipChangeOp } from '@offline-sync/sync-core';

/** A local change to queue. */
export interface NewChange {
  docKey: string;
  type: string;
  documentId: string;
  locale: string;
  op: ShipChangeOp;
  fields: Record<string, unknown>;
  baseVersion: number;
}
