import type { ConflictRule, ConflictType } from '@offline-sync/sync-core';
import type { DocumentRef } from '../documents/document-key';

/** A conflict to open, or an open one to bring up to date with a later change of the same ship. */
export interface ConflictDraft extends DocumentRef {
  id: string;
  /** false: the conflict is already open in the database and is updated. */
  isNew: boolean;
  shipId: string;
  changeId: string;
  seq: number;
  conflictType: ConflictType;
  rule: ConflictRule;
  baseVersion: number;
  /** Fields set by this ship's conflicting change(s) in this batch. */
  shipFields: Record<string, unknown>;
  shipDeleted: boolean;
  masterVersion: number;
  masterData: Record<string, unknown>;
  masterDeleted: boolean;
  foreignAuthors: string[];
}

export function conflictKey(ref: DocumentRef, shipId: string): string {
  return `${ref.type}/${ref.documentId}/${ref.locale}|${shipId}`;
}
