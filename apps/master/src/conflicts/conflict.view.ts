import { diffFields } from '@offline-sync/sync-core';
import type { Conflict } from './entities/conflict.entity';

export interface FieldDifferenceView {
  field: string;
  ship: unknown;
  master: unknown;
  base: unknown;
}

/** A losing side put back as a new version. */
export interface RestorationView {
  side: 'ship' | 'master';
  version: number;
  by: string;
  at: string;
}

export interface ConflictView {
  id: string;
  type: string;
  documentId: string;
  locale: string;
  shipId: string;
  changeId: string;
  seq: number;
  conflictType: string;
  rule: string;
  status: string;
  baseVersion: number;
  base: Record<string, unknown> | null;
  ship: { data: Record<string, unknown>; deleted: boolean; changedFields: string[] };
  master: { version: number; data: Record<string, unknown>; deleted: boolean };
  foreignAuthors: string[];
  differences?: FieldDifferenceView[];
  resolution: {
    strategy: string;
    data: Record<string, unknown> | null;
    version: number | null;
    by: string | null;
    at: string | null;
  } | null;
  /** On a single conflict: its restorations, oldest first. */
  restorations?: RestorationView[];
  createdAt: string;
  updatedAt: string;
}

/**
 * The API shape of a conflict; with `withDifferences`, the field-level difference too, and with
 * `restorations` those.
 */
export function conflictView(
  conflict: Conflict,
  withDifferences = false,
  restorations?: RestorationView[],
): ConflictView {
  const base = conflict.baseData ?? {};
  return {
    id: conflict.id,
    type: conflict.type,
    documentId: conflict.documentId,
    locale: conflict.locale,
    shipId: conflict.shipId,
    changeId: conflict.changeId,
    seq: Number(conflict.seq),
    conflictType: conflict.conflictType,
    rule: conflict.rule,
    status: conflict.status,
    baseVersion: conflict.baseVersion,
    base: conflict.baseData,
    ship: {
      data: conflict.shipData,
      deleted: conflict.shipDeleted,
      changedFields: Object.keys(conflict.shipFields).sort(),
    },
    master: {
      version: conflict.masterVersion,
      data: conflict.masterData,
      deleted: conflict.masterDeleted,
    },
    foreignAuthors: conflict.foreignAuthors,
    ...(withDifferences
      ? {
          differences: diffFields(conflict.shipData, conflict.masterData).map((d) => ({
            field: d.field,
            ship: d.left,
            master: d.right,
            base: base[d.field],
          })),
        }
      : {}),
    resolution: conflict.resolution
      ? {
          strategy: conflict.resolution,
          data: conflict.resolvedData,
          version: conflict.resolvedVersion,
          by: conflict.resolvedBy,
          at: conflict.resolvedAt ? conflict.resolvedAt.toISOString() : null,
        }
      : null,
    ...(restorations ? { restorations } : {}),
    createdAt: conflict.createdAt.toISOString(),
    updatedAt: conflict.updatedAt.toISOString(),
  };
}
