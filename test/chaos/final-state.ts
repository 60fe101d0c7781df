/**
 * What the nodes hold once every fault is healed and the fleet is quiet, read through their
 * public APIs only (final-state-reader.ts); the checker reads this and the history, nothing else.
 */
export interface FinalState {
  collectedAt: string;
  quiescence: { reached: boolean; waitedMs: number; detail: string };
  masters: string[];
  ships: string[];
  /** Per node: the content checksum, or why it could not be read. */
  checksums: Record<string, { checksum: string; documents: number } | { error: string }>;
  /** Per node: its live documents (content lists of every type and locale in use). */
  documents: Record<string, NodeDocument[]>;
  /** The master's edit log per document (docKey), for every document the history names. */
  revisions: Record<string, Revision[]>;
  /** Every conflict on the master, open and resolved. */
  conflicts: Conflict[];
  /** The master's dead letters. */
  deadLetters: DeadLetter[];
  /** Per ship: its dead letters' count (ships show no list). */
  shipDeadLetters: Record<string, number>;
  /** Per ship: every row of its outbox queue. */
  queues: Record<string, QueueRow[]>;
}

export interface NodeDocument {
  type: string;
  id: string;
  locale: string;
  data: Record<string, unknown>;
  version: number;
  sync?: { state: string; baseVersion: number; conflictId?: string; reason?: string };
}

export interface Revision {
  version: number;
  author: string;
  changedFields: string[];
  deleted: boolean;
  data: Record<string, unknown>;
  changeId: string | null;
  at: string;
}

export interface Conflict {
  id: string;
  type: string;
  documentId: string;
  locale: string;
  shipId: string;
  changeId: string;
  conflictType: string;
  rule: string;
  status: string;
  baseVersion: number;
  ship: { data: Record<string, unknown>; deleted: boolean; changedFields: string[] };
  master: { version: number; data: Record<string, unknown>; deleted: boolean };
  foreignAuthors: string[];
  resolution: { strategy: string; version: number | null; by: string | null } | null;
}

export interface DeadLetter {
  id: string;
  topic: string;
  reason: string;
  detail: string;
  status: string;
  sender: string | null;
}

export interface QueueRow {
  changeId: string;
  seq: number | null;
  op: 'create' | 'update' | 'delete';
  type: string;
  documentId: string;
  locale: string;
  baseVersion: number;
  fields: Record<string, unknown>;
  status: string;
  outcome: { version: number | null; conflictId: string | null; reason: string | null } | null;
}

/** One key per (type, document, locale), as the checker groups things. */
export function docKey(type: string, id: string, locale: string): string {
  return `${type}|${id.toLowerCase()}|${locale}`;
}
