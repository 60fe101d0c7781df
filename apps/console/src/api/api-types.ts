/** The API's shapes the console reads (the master's OpenAPI document, openapi/master.json). */

export type Role = 'viewer' | 'crew' | 'operator' | 'admin';

export interface Principal {
  name: string;
  role: Role;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export type Strategy = 'keep-ship' | 'keep-master' | 'merge';

export interface FieldDifference {
  field: string;
  ship: unknown;
  master: unknown;
  base: unknown;
}

export interface Conflict {
  id: string;
  type: string;
  documentId: string;
  locale: string;
  shipId: string;
  changeId: string;
  seq: number;
  conflictType: string;
  rule: string;
  status: 'open' | 'resolved';
  baseVersion: number;
  base: Record<string, unknown> | null;
  ship: { data: Record<string, unknown>; deleted: boolean; changedFields: string[] };
  master: { version: number; data: Record<string, unknown>; deleted: boolean };
  foreignAuthors: string[];
  differences?: FieldDifference[];
  resolution: {
    strategy: Strategy;
    data: Record<string, unknown> | null;
    version: number | null;
    by: string | null;
    at: string | null;
  } | null;
  restorations?: Array<{ side: 'ship' | 'master'; version: number; by: string; at: string }>;
  createdAt: string;
  updatedAt: string;
}

export interface ConflictPage extends Page<Conflict> {
  counts: { open: number; resolved: number };
}

export interface ConflictQuery {
  status?: 'open' | 'resolved';
  type?: string;
  ship?: string;
  locale?: string;
  document?: string;
  olderThanMinutes?: number;
  page?: number;
  pageSize?: number;
}

export interface BulkResolution {
  results: Array<{ id: string; status: number; message?: string }>;
}

export interface Ship {
  id: string;
  status: 'online' | 'offline';
  lastSeenAt: string;
  lastHeartbeatAt: string;
  firstSeenAt: string;
  appVersion: string;
  queueDepth: number;
  awaitingOutcome: number;
  failedCount: number;
  oldestPendingAgeMs: number | null;
  lag: number | null;
  openConflicts?: number;
}

export interface ShipQuery {
  status?: 'online' | 'offline';
  search?: string;
  sort?: string;
  page?: number;
  pageSize?: number;
}

export interface DeadLetter {
  id: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string;
  valueEncoding: string;
  reason: string;
  detail: string;
  sender: string | null;
  messageId: string | null;
  status: 'pending' | 'retrying' | 'exhausted' | 'resolved';
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ContentType {
  name: string;
  localized: boolean;
  policy: string;
}

export interface ContentDocument {
  type: string;
  id: string;
  locale: string;
  data: Record<string, unknown>;
  version: number;
  updatedAt: string;
  updatedBy?: string;
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
