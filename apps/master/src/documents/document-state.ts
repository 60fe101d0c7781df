import type { DocumentRef } from './document-key';

/** The master's current state of one (type, id, locale), as the decision rules and writers need it. */
export interface DocumentState extends DocumentRef {
  version: number;
  deleted: boolean;
  data: Record<string, unknown>;
  /** ISO timestamp. */
  updatedAt: string;
  updatedBy: string;
}

/** A new version to write: the document row, its revision and its broadcast. */
export interface NewVersion extends DocumentRef {
  version: number;
  deleted: boolean;
  data: Record<string, unknown>;
  author: string;
  changedFields: string[];
  /** The ship change it came from, if any (sent to ships as `origin`). */
  origin?: { shipId: string; changeId: string };
  /** ISO timestamp of the edit: the ship's editedAt or the master's clock. */
  at: string;
}
