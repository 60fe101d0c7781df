import { isDeepStrictEqual } from 'node:util';
import type { FaultKind } from './fault-schedule';
import {
  docKey,
  type Conflict,
  type FinalState,
  type NodeDocument,
  type QueueRow,
  type Revision,
} from './final-state';
import type { HistoryRecord, OpRecord, RunRecord } from './history';

export const ANOMALY_KINDS = [
  /** A write answered 2xx that is nowhere: not in the master's history, no conflict, no rejection. */
  'lost-write',
  /** One ship change carried out by more than one version. */
  'duplicate-apply',
  /** Nodes whose content differs after quiescence. */
  'diverged',
  /** A deleted document live again without a resolved conflict bringing it back. */
  'resurrected',
  /** A conflict with no foreign version between its base and the master's version. */
  'conflict-without-cause',
  /** A conflict still open after the operators resolved every open one. */
  'conflict-left-open',
  /** A ship showing a conflict the master does not hold open. */
  'stranded-conflict',
  /** A ship change with no outcome after quiescence. */
  'unsettled-change',
  'rejected-without-reason',
  'dead-letter-without-reason',
  /** The master serves content that is not the last version of its edit log. */
  'history-mismatch',
  /**
   * A process that stopped by itself after it was ready (the apps exit on their own only when
   * they cannot start, e.g. a master whose broker or database is down at start-up).
   */
  'crash',
] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export interface Anomaly {
  kind: AnomalyKind;
  message: string;
  node?: string;
  doc?: string;
  /** History operations that show it. */
  ops?: number[];
}

export interface CheckStats {
  operations: number;
  /** Answers by status class: 2xx, 4xx, 5xx, none (timeout, connection refused...). */
  answers: Record<string, number>;
  writesAcknowledged: { ships: number; masters: number; resolutions: number };
  faultsByKind: Partial<Record<FaultKind, number>>;
  faultErrors: number;
  /** Processes that stopped by themselves: while starting, or after being ready (crashes). */
  processExits: { starting: number; crashed: number };
  conflicts: { total: number; open: number; resolved: number };
  deadLetters: { master: number; ships: number };
  documents: number;
  revisions: number;
}

export interface CheckReport {
  anomalies: Anomaly[];
  stats: CheckStats;
}

/** A write the API acknowledged (2xx), as the checker follows it. */
export interface AckedWrite {
  op: number;
  /** Position within its operation (a bulk request's writes are applied in order). */
  index: number;
  node: string;
  t0: number;
  kind: 'create' | 'update' | 'delete';
  key: string;
  /** The fields it wrote (create: the whole data). */
  fields?: Record<string, unknown>;
  /** The version the master answered with (master writes only). */
  version?: number;
}

export interface AckedResolution {
  op: number;
  node: string;
  conflictId: string;
  key: string;
  strategy: string;
  version: number;
}

/**
 * Reads a run's history and the final state and reports every anomaly. Pure: it trusts nothing
 * but what was recorded, and what the nodes serve through their public APIs after healing.
 */
export function checkHistory(history: HistoryRecord[], state: FinalState): CheckReport {
  const ops = history.filter((r): r is OpRecord => r.type === 'op');
  const masters = new Set(state.masters);
  const writes = ops.flatMap(acknowledgedWrites);
  const resolutions = ops.flatMap(acknowledgedResolution);
  const index = new StateIndex(state);
  const run = history.find((r): r is RunRecord => r.type === 'run');
  const policies = run?.policies ?? {};
  const anomalies: Anomaly[] = [
    ...checkMasterWrites(
      writes.filter((w) => masters.has(w.node)),
      index,
    ),
    ...checkResolutions(resolutions, index),
    ...checkShipWrites(
      writes.filter((w) => !masters.has(w.node)),
      ops.flatMap(uncertainWrites).filter((w) => !masters.has(w.node)),
      index,
    ),
    ...checkDuplicates(state),
    ...checkResurrections(index, policies),
    ...checkConflicts(state, index),
    ...checkQueues(state),
    ...checkDeadLetters(state),
    ...checkMasterContent(state),
    ...checkConvergence(state),
    ...checkCrashes(history),
  ];
  return { anomalies, stats: statsOf(history, ops, writes, resolutions, state) };
}

// ------------------------------------------------------------------------------------ writes

/** The writes an operation acknowledged: none unless it was answered 2xx. */
export function acknowledgedWrites(op: OpRecord): AckedWrite[] {
  if (op.status === null || op.status < 200 || op.status >= 300) return [];
  return requestedWrites(op);
}

/**
 * The writes of a request that got no answer (a timeout, a reset connection): each may or may
 * not have been applied, so each may have replaced an earlier write of its node.
 */
export function uncertainWrites(op: OpRecord): AckedWrite[] {
  return op.status === null ? requestedWrites(op) : [];
}

/** The writes a request asked for, as far as their document is known (a create's id may not be). */
function requestedWrites(op: OpRecord): AckedWrite[] {
  const url = new URL(op.path, 'http://node');
  const parts = url.pathname.split('/').filter(Boolean); // api, content, type[, id]
  if (parts[0] !== 'api' || parts[1] !== 'content') return [];
  const locale = url.searchParams.get('locale') ?? '';
  const base = { op: op.id, index: 0, node: op.node, t0: op.t0 };
  const body = (op.body ?? {}) as { data?: Record<string, unknown>; locale?: string };
  const response = (op.response ?? {}) as { id?: string; locale?: string; version?: number };

  if (parts[2] === '_bulk' && op.method === 'POST') {
    const writes = ((op.body ?? {}) as { writes?: BulkWrite[] }).writes ?? [];
    const results = ((op.response ?? {}) as { results?: { id: string; locale: string }[] }).results;
    return writes.flatMap((write, index): AckedWrite[] => {
      const id = write.op === 'create' ? (results?.[index]?.id ?? write.id) : write.id;
      if (!id) return [];
      const key = docKey(write.type, id, write.locale ?? '');
      return write.op === 'delete'
        ? [{ ...base, index, kind: 'delete', key }]
        : [{ ...base, index, kind: write.op, key, fields: write.data ?? {} }];
    });
  }
  const type = parts[2];
  const createdId = response.id ?? (body as { id?: string }).id;
  if (op.method === 'POST' && parts.length === 3 && createdId) {
    return [
      {
        ...base,
        kind: 'create',
        key: docKey(type, createdId, response.locale ?? body.locale ?? ''),
        fields: body.data ?? {},
        version: response.version,
      },
    ];
  }
  if (parts.length !== 4) return [];
  const key = docKey(type, parts[3], locale);
  if (op.method === 'PATCH') {
    return [{ ...base, kind: 'update', key, fields: body.data ?? {}, version: response.version }];
  }
  if (op.method === 'DELETE') return [{ ...base, kind: 'delete', key }];
  return [];
}

interface BulkWrite {
  op: 'create' | 'update' | 'delete';
  type: string;
  id?: string;
  locale?: string;
  data?: Record<string, unknown>;
}

export function acknowledgedResolution(op: OpRecord): AckedResolution[] {
  const match = /^\/api\/offline-sync\/conflicts\/([^/]+)\/resolve$/.exec(op.path);
  if (!match || op.method !== 'POST' || op.status !== 200) return [];
  const response = op.response as Partial<Conflict> | undefined;
  const version = response?.resolution?.version;
  if (!response?.type || !response.documentId || typeof version !== 'number') return [];
  return [
    {
      op: op.id,
      node: op.node,
      conflictId: match[1],
      key: docKey(response.type, response.documentId, response.locale ?? ''),
      strategy: response.resolution?.strategy ?? '',
      version,
    },
  ];
}

/** The final state, indexed the ways the checks read it. */
class StateIndex {
  readonly revisions = new Map<string, Revision[]>();
  readonly conflicts = new Map<string, Conflict[]>();
  readonly conflictById = new Map<string, Conflict>();
  readonly queue = new Map<string, QueueRow[]>();

  constructor(readonly state: FinalState) {
    for (const [key, revisions] of Object.entries(state.revisions)) {
      this.revisions.set(
        key,
        [...revisions].sort((a, b) => a.version - b.version),
      );
    }
    for (const conflict of state.conflicts) {
      push(this.conflicts, docKey(conflict.type, conflict.documentId, conflict.locale), conflict);
      this.conflictById.set(conflict.id, conflict);
    }
    for (const [ship, rows] of Object.entries(state.queues)) {
      for (const row of rows) {
        push(this.queue, `${ship}\n${docKey(row.type, row.documentId, row.locale)}`, row);
      }
    }
  }

  revisionsOf(key: string): Revision[] {
    return this.revisions.get(key) ?? [];
  }

  conflictsOf(key: string, ship?: string): Conflict[] {
    const all = this.conflicts.get(key) ?? [];
    return ship === undefined ? all : all.filter((c) => c.shipId === ship);
  }

  queueOf(ship: string, key: string): QueueRow[] {
    return this.queue.get(`${ship}\n${key}`) ?? [];
  }
}

function checkMasterWrites(writes: AckedWrite[], index: StateIndex): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const write of writes) {
    const revisions = index.revisionsOf(write.key);
    const found =
      write.kind === 'delete'
        ? revisions.some((r) => r.deleted && r.author.startsWith('master:'))
        : revisions.some(
            (r) =>
              r.version === write.version &&
              r.author.startsWith('master:') &&
              !r.deleted &&
              Object.entries(write.fields ?? {}).every(([f, v]) => isDeepStrictEqual(r.data[f], v)),
          );
    if (!found) {
      anomalies.push({
        kind: 'lost-write',
        node: write.node,
        doc: write.key,
        ops: [write.op],
        message:
          write.kind === 'delete'
            ? `the master acknowledged deleting ${write.key}, but its edit log holds no deletion by the master`
            : `the master acknowledged ${write.kind} ${write.key} as version ${write.version}, but its edit log has no such version with that data`,
      });
    }
  }
  return anomalies;
}

function checkResolutions(resolutions: AckedResolution[], index: StateIndex): Anomaly[] {
  return resolutions
    .filter(
      (resolution) =>
        !index
          .revisionsOf(resolution.key)
          .some((r) => r.version === resolution.version && r.author.startsWith('master:')),
    )
    .map((resolution) => ({
      kind: 'lost-write' as const,
      node: resolution.node,
      doc: resolution.key,
      ops: [resolution.op],
      message: `conflict ${resolution.conflictId} was resolved (${resolution.strategy}) as version ${resolution.version} of ${resolution.key}, but the edit log has no such version by the master`,
    }));
}

/**
 * A crew write is accounted for when each field it wrote reached the master's edit log (it may
 * have been superseded since), is held in a conflict of that ship, was rejected with the change
 * that carried it, or was overwritten by a later write of the same ship, acknowledged or left
 * without an answer (edits of an unsent change fold together). A delete: the master deleted the document for this ship, or
 * holds it in a conflict, or answered its change, or the document never left the ship and is
 * gone from it and from the master.
 */
function checkShipWrites(
  writes: AckedWrite[],
  uncertain: AckedWrite[],
  index: StateIndex,
): Anomaly[] {
  const byShipAndKey = new Map<string, AckedWrite[]>();
  for (const write of writes) push(byShipAndKey, `${write.node}\n${write.key}`, write);
  const uncertainByShipAndKey = new Map<string, AckedWrite[]>();
  for (const write of uncertain) push(uncertainByShipAndKey, `${write.node}\n${write.key}`, write);
  const anomalies: Anomaly[] = [];
  for (const write of writes) {
    const mine = byShipAndKey.get(`${write.node}\n${write.key}`) ?? [];
    // A later write that got no answer may have been applied, and replaced this one.
    const later = [
      ...mine,
      ...(uncertainByShipAndKey.get(`${write.node}\n${write.key}`) ?? []),
    ].filter((other) => precedes(write, other));
    const revisions = index.revisionsOf(write.key);
    const conflicts = index.conflictsOf(write.key, write.node);
    const rows = index.queueOf(write.node, write.key);
    if (write.kind === 'delete') {
      const settled =
        revisions.some((r) => r.deleted && r.author === `ship:${write.node}`) ||
        conflicts.some((c) => c.ship.deleted) ||
        rows.some(
          (row) =>
            row.op === 'delete' &&
            (row.status === 'rejected' ||
              row.status === 'conflict' ||
              (row.status === 'applied' && revisions.some((r) => r.deleted))),
        ) ||
        // Created here and deleted before any of it was sent: the ship's own unsent change is
        // cancelled (docs/protocol.md), whatever another node created under the same key.
        (rows.length === 0 &&
          mine.some((other) => other.kind === 'create' && precedes(other, write))) ||
        (rows.length === 0 &&
          revisions.length === 0 &&
          !liveOn(index.state, write.node, write.key) &&
          index.state.masters.every((m) => !liveOn(index.state, m, write.key)));
      if (!settled) {
        anomalies.push({
          kind: 'lost-write',
          node: write.node,
          doc: write.key,
          ops: [write.op],
          message: `${write.node} acknowledged deleting ${write.key}, but no deletion of it by ${write.node} reached the master, no conflict or rejection holds it`,
        });
      }
      continue;
    }
    const missing = Object.entries(write.fields ?? {}).filter(
      ([field, value]) =>
        !revisions.some((r) => isDeepStrictEqual(r.data[field], value)) &&
        !conflicts.some((c) => isDeepStrictEqual(c.ship.data[field], value)) &&
        !rows.some(
          (row) => row.status === 'rejected' && isDeepStrictEqual(row.fields[field], value),
        ) &&
        !later.some((other) => other.kind === 'delete' || (other.fields && field in other.fields)),
    );
    if (missing.length > 0) {
      anomalies.push({
        kind: 'lost-write',
        node: write.node,
        doc: write.key,
        ops: [write.op],
        message: `${write.node} acknowledged ${write.kind} of ${write.key} (${missing.map(([f]) => f).join(', ')}), but it is in no version of the master's edit log, no conflict, no rejected change, and no later write of ${write.node} replaced it`,
      });
    }
  }
  return anomalies;
}

function precedes(a: AckedWrite, b: AckedWrite): boolean {
  return a.t0 < b.t0 || (a.t0 === b.t0 && a.op === b.op && a.index < b.index);
}

function liveOn(state: FinalState, node: string, key: string): boolean {
  return (state.documents[node] ?? []).some((d) => docKey(d.type, d.id, d.locale) === key);
}

// ------------------------------------------------------------------------------------ history

function checkDuplicates(state: FinalState): Anomaly[] {
  const byChange = new Map<string, { key: string; version: number }[]>();
  for (const [key, revisions] of Object.entries(state.revisions)) {
    for (const r of revisions) {
      if (r.changeId) push(byChange, r.changeId, { key, version: r.version });
    }
  }
  return [...byChange]
    .filter(([, uses]) => uses.length > 1)
    .map(([changeId, uses]) => ({
      kind: 'duplicate-apply' as const,
      doc: uses[0].key,
      message: `change ${changeId} was carried out ${uses.length} times: ${uses.map((u) => `${u.key} v${u.version}`).join(', ')}`,
    }));
}

/** Policies under which a ship's concurrent edit wins over a deletion without a conflict. */
const SHIP_EDIT_WINS = new Set(['ship-wins', 'last-write-wins']);

/**
 * A deleted document may live again only through a resolved conflict (keep-ship, merge), or
 * where its type's policy lets a ship's concurrent edit win over the deletion (ship-wins,
 * last-write-wins): a version carrying that ship change.
 */
function checkResurrections(index: StateIndex, policies: Record<string, string>): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const [key, revisions] of index.revisions) {
    const type = key.split('|')[0];
    for (let i = 1; i < revisions.length; i += 1) {
      if (!revisions[i - 1].deleted || revisions[i].deleted) continue;
      const revived = revisions[i];
      const byResolution = index
        .conflictsOf(key)
        .some((c) => c.status === 'resolved' && c.resolution?.version === revived.version);
      const byPolicy =
        SHIP_EDIT_WINS.has(policies[type] ?? 'manual') &&
        revived.author.startsWith('ship:') &&
        revived.changeId !== null;
      if (!byResolution && !byPolicy) {
        anomalies.push({
          kind: 'resurrected',
          doc: key,
          message: `${key} was deleted in version ${revisions[i - 1].version} and live again in version ${revived.version} (by ${revived.author}) without a conflict resolved into it (policy ${policies[type] ?? 'manual'})`,
        });
      }
    }
  }
  return anomalies;
}

function checkConflicts(state: FinalState, index: StateIndex): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const conflict of state.conflicts) {
    const key = docKey(conflict.type, conflict.documentId, conflict.locale);
    const foreign = index
      .revisionsOf(key)
      .filter(
        (r) =>
          r.version > conflict.baseVersion &&
          r.version <= conflict.master.version &&
          r.author !== `ship:${conflict.shipId}`,
      );
    if (foreign.length === 0) {
      anomalies.push({
        kind: 'conflict-without-cause',
        doc: key,
        node: conflict.shipId,
        message: `conflict ${conflict.id} (${conflict.conflictType}, ${conflict.rule}) of ${conflict.shipId} on ${key}: no version after its base ${conflict.baseVersion} up to ${conflict.master.version} is by anyone else`,
      });
    }
    if (conflict.status === 'open') {
      anomalies.push({
        kind: 'conflict-left-open',
        doc: key,
        node: conflict.shipId,
        message: `conflict ${conflict.id} of ${conflict.shipId} on ${key} is still open after every open conflict was resolved`,
      });
    }
  }
  for (const ship of state.ships) {
    for (const document of state.documents[ship] ?? []) {
      if (document.sync?.state !== 'conflict') continue;
      const held = document.sync.conflictId
        ? index.conflictById.get(document.sync.conflictId)
        : undefined;
      if (held?.status === 'open') continue; // reported above
      anomalies.push({
        kind: 'stranded-conflict',
        node: ship,
        doc: docKey(document.type, document.id, document.locale),
        message: `${ship} shows ${docKey(document.type, document.id, document.locale)} in conflict ${document.sync.conflictId ?? '(no id)'}, which the master ${held ? `holds as ${held.status}` : 'does not know'}`,
      });
    }
  }
  return anomalies;
}

const SETTLED = new Set(['applied', 'conflict', 'rejected']);

function checkQueues(state: FinalState): Anomaly[] {
  const anomalies: Anomaly[] = [];
  for (const [ship, rows] of Object.entries(state.queues)) {
    const unsettled = new Set<string>();
    for (const row of rows) {
      const key = docKey(row.type, row.documentId, row.locale);
      if (!SETTLED.has(row.status)) {
        unsettled.add(key);
        anomalies.push({
          kind: 'unsettled-change',
          node: ship,
          doc: key,
          message: `${ship}'s change ${row.changeId} (${row.op} ${key}, seq ${row.seq ?? '-'}) is still ${row.status} after quiescence`,
        });
      }
      if (row.status === 'rejected' && !row.outcome?.reason) {
        anomalies.push({
          kind: 'rejected-without-reason',
          node: ship,
          doc: key,
          message: `${ship}'s change ${row.changeId} (${row.op} ${key}) was rejected without a reason`,
        });
      }
    }
    for (const document of state.documents[ship] ?? []) {
      const key = docKey(document.type, document.id, document.locale);
      if (document.sync?.state === 'pending' && !unsettled.has(key)) {
        anomalies.push({
          kind: 'unsettled-change',
          node: ship,
          doc: key,
          message: `${ship} shows ${key} pending after quiescence, with no change of it waiting in its queue`,
        });
      }
    }
  }
  return anomalies;
}

function checkDeadLetters(state: FinalState): Anomaly[] {
  return state.deadLetters
    .filter((letter) => !letter.reason?.trim())
    .map((letter) => ({
      kind: 'dead-letter-without-reason' as const,
      message: `dead letter ${letter.id} (${letter.topic}, from ${letter.sender ?? 'unknown'}) has no reason`,
    }));
}

/** The master's live content is exactly the last version of each document's edit log. */
function checkMasterContent(state: FinalState): Anomaly[] {
  const master = state.masters[0];
  const live = new Map(
    (state.documents[master] ?? []).map((d) => [docKey(d.type, d.id, d.locale), d]),
  );
  const anomalies: Anomaly[] = [];
  for (const [key, document] of live) {
    if ((state.revisions[key] ?? []).length === 0) {
      anomalies.push({
        kind: 'history-mismatch',
        doc: key,
        node: master,
        message: `the master serves ${key} (version ${document.version}) with no version in its edit log`,
      });
    }
  }
  for (const [key, revisions] of Object.entries(state.revisions)) {
    const last = revisions.reduce<Revision | undefined>(
      (a, b) => (a === undefined || b.version > a.version ? b : a),
      undefined,
    );
    if (!last) continue;
    const document = live.get(key);
    if (last.deleted && document) {
      anomalies.push({
        kind: 'history-mismatch',
        doc: key,
        node: master,
        message: `the master serves ${key} (version ${document.version}) though its last version ${last.version} deleted it`,
      });
    } else if (!last.deleted && !document) {
      anomalies.push({
        kind: 'history-mismatch',
        doc: key,
        node: master,
        message: `the master does not serve ${key} though its last version ${last.version} is live`,
      });
    } else if (
      document &&
      (document.version !== last.version || !isDeepStrictEqual(document.data, last.data))
    ) {
      anomalies.push({
        kind: 'history-mismatch',
        doc: key,
        node: master,
        message: `the master serves ${key} as version ${document.version}, its edit log ends at version ${last.version} with other data`,
      });
    }
  }
  return anomalies;
}

/** Every node ends with the master's content: same checksum, and document by document. */
function checkConvergence(state: FinalState): Anomaly[] {
  const anomalies: Anomaly[] = [];
  const nodes = [...state.masters, ...state.ships];
  const reference = state.masters[0];
  const sums = state.checksums;
  for (const node of nodes) {
    const sum = sums[node];
    if (!sum || 'error' in sum) {
      anomalies.push({
        kind: 'diverged',
        node,
        message: `${node} gave no checksum: ${sum && 'error' in sum ? sum.error : 'not read'}`,
      });
    }
  }
  const expected = byKey(state.documents[reference] ?? []);
  for (const node of nodes.filter((n) => n !== reference)) {
    const sum = sums[node];
    const ref = sums[reference];
    const differs =
      sum && ref && 'checksum' in sum && 'checksum' in ref && sum.checksum !== ref.checksum;
    const actual = byKey(state.documents[node] ?? []);
    const differences: string[] = [];
    for (const [key, doc] of expected) {
      const other = actual.get(key);
      if (!other) differences.push(`${key} missing (master v${doc.version})`);
      else if (other.version !== doc.version || !isDeepStrictEqual(other.data, doc.data)) {
        differences.push(`${key} v${other.version} against the master's v${doc.version}`);
      }
    }
    for (const [key, doc] of actual) {
      if (!expected.has(key)) {
        const deletedOnMaster = state.revisions[key]?.some((r) => r.deleted) ?? false;
        differences.push(
          `${key} v${doc.version} live${deletedOnMaster ? ', deleted on the master' : ', unknown to the master'}`,
        );
      }
    }
    if (differs || differences.length > 0) {
      anomalies.push({
        kind: 'diverged',
        node,
        message: `${node} differs from ${reference}${differs ? ' (checksums differ)' : ''}: ${differences.length} document(s)${differences.length > 0 ? `, e.g. ${differences.slice(0, 5).join('; ')}` : ''}`,
      });
    }
  }
  return anomalies;
}

function checkCrashes(history: HistoryRecord[]): Anomaly[] {
  return history.flatMap((record): Anomaly[] =>
    record.type === 'process' && record.event === 'exit' && record.ready
      ? [
          {
            kind: 'crash',
            node: record.node,
            message: `${record.node} stopped by itself at ${(record.t / 1000).toFixed(1)} s after it was ready: ${record.detail ?? ''} (its log has the cause)`,
          },
        ]
      : [],
  );
}

function byKey(documents: NodeDocument[]): Map<string, NodeDocument> {
  return new Map(documents.map((d) => [docKey(d.type, d.id, d.locale), d]));
}

// ------------------------------------------------------------------------------------ stats

function statsOf(
  history: HistoryRecord[],
  ops: OpRecord[],
  writes: AckedWrite[],
  resolutions: AckedResolution[],
  state: FinalState,
): CheckStats {
  const masters = new Set(state.masters);
  const answers: Record<string, number> = {};
  for (const op of ops) {
    const cls = op.status === null ? 'none' : `${Math.floor(op.status / 100)}xx`;
    answers[cls] = (answers[cls] ?? 0) + 1;
  }
  const faultsByKind: Partial<Record<FaultKind, number>> = {};
  let faultErrors = 0;
  const processExits = { starting: 0, crashed: 0 };
  for (const record of history) {
    if (record.type === 'fault' && record.phase === 'start' && !record.error) {
      faultsByKind[record.fault.kind] = (faultsByKind[record.fault.kind] ?? 0) + 1;
    }
    if (record.type === 'fault' && record.error) faultErrors += 1;
    if (record.type === 'process' && record.event === 'exit') {
      if (record.ready) processExits.crashed += 1;
      else processExits.starting += 1;
    }
  }
  return {
    operations: ops.length,
    answers,
    writesAcknowledged: {
      ships: writes.filter((w) => !masters.has(w.node)).length,
      masters: writes.filter((w) => masters.has(w.node)).length,
      resolutions: resolutions.length,
    },
    faultsByKind,
    faultErrors,
    processExits,
    conflicts: {
      total: state.conflicts.length,
      open: state.conflicts.filter((c) => c.status === 'open').length,
      resolved: state.conflicts.filter((c) => c.status === 'resolved').length,
    },
    deadLetters: {
      master: state.deadLetters.length,
      ships: Object.values(state.shipDeadLetters).reduce((a, b) => a + b, 0),
    },
    documents: (state.documents[state.masters[0]] ?? []).length,
    revisions: Object.values(state.revisions).reduce((a, b) => a + b.length, 0),
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
