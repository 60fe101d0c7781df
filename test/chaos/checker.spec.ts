import { checkHistory, type AnomalyKind } from './checker';
import {
  docKey,
  type Conflict,
  type FinalState,
  type NodeDocument,
  type QueueRow,
  type Revision,
} from './final-state';
import type { HistoryRecord, OpRecord } from './history';

/**
 * The checker on hand-made histories: each anomaly kind with a history that has it and one that
 * does not, so that "no anomalies" means something.
 */

const A = '01900000-0000-7000-8000-00000000000a';
const B = '01900000-0000-7000-8000-00000000000b';
const CHANGE_1 = '01900000-0000-7000-8000-0000000000c1';
const CHANGE_2 = '01900000-0000-7000-8000-0000000000c2';
const KEY_A = docKey('article', A, 'en');
const KEY_B = docKey('note', B, '');

let nextOp = 1;
function op(partial: Partial<OpRecord> & Pick<OpRecord, 'node' | 'method' | 'path'>): OpRecord {
  const id = nextOp++;
  return { type: 'op', id, client: 'test', t0: id * 10, t1: id * 10 + 5, status: 200, ...partial };
}

const shipCreate = (node: string, id: string, data: Record<string, unknown>, status = 201) =>
  op({
    node,
    method: 'POST',
    path: '/api/content/article',
    body: { data, locale: 'en' },
    status,
    response: status === 201 ? { type: 'article', id, locale: 'en', version: 0 } : undefined,
  });
const shipUpdate = (node: string, id: string, data: Record<string, unknown>, status = 200) =>
  op({
    node,
    method: 'PATCH',
    path: `/api/content/article/${id}?locale=en`,
    body: { data },
    status,
  });
const shipDelete = (node: string, id: string) =>
  op({ node, method: 'DELETE', path: `/api/content/article/${id}?locale=en`, status: 204 });

function revision(
  version: number,
  author: string,
  data: Record<string, unknown>,
  extra: Partial<Revision> = {},
): Revision {
  return {
    version,
    author,
    changedFields: Object.keys(data),
    deleted: false,
    data,
    changeId: null,
    at: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

function doc(
  id: string,
  version: number,
  data: Record<string, unknown>,
  state = 'synced',
): NodeDocument {
  return {
    type: 'article',
    id,
    locale: 'en',
    version,
    data,
    sync: { state, baseVersion: version },
  };
}

function row(partial: Partial<QueueRow>): QueueRow {
  return {
    changeId: CHANGE_1,
    seq: 1,
    op: 'update',
    type: 'article',
    documentId: A,
    locale: 'en',
    baseVersion: 1,
    fields: {},
    status: 'applied',
    outcome: { version: 2, conflictId: null, reason: null },
    ...partial,
  };
}

function conflict(partial: Partial<Conflict>): Conflict {
  return {
    id: '01900000-0000-7000-8000-0000000000f1',
    type: 'article',
    documentId: A,
    locale: 'en',
    shipId: 'ship-a',
    changeId: CHANGE_1,
    conflictType: 'update-update',
    rule: 'manual',
    status: 'resolved',
    baseVersion: 1,
    ship: { data: {}, deleted: false, changedFields: [] },
    master: { version: 2, data: {}, deleted: false },
    foreignAuthors: ['master:operator'],
    resolution: { strategy: 'keep-master', version: 3, by: 'master:operator' },
    ...partial,
  };
}

/** A converged fleet holding `documents` on every node, with these revisions. */
function state(
  documents: NodeDocument[],
  revisions: Record<string, Revision[]>,
  extra: Partial<FinalState> = {},
): FinalState {
  const nodes = ['master-1', 'ship-a', 'ship-b'];
  return {
    collectedAt: '2026-01-01T00:00:00.000Z',
    quiescence: { reached: true, waitedMs: 1000, detail: '' },
    masters: ['master-1'],
    ships: ['ship-a', 'ship-b'],
    checksums: Object.fromEntries(
      nodes.map((n) => [n, { checksum: 'x', documents: documents.length }]),
    ),
    documents: Object.fromEntries(nodes.map((n) => [n, documents])),
    revisions,
    conflicts: [],
    deadLetters: [],
    shipDeadLetters: { 'ship-a': 0, 'ship-b': 0 },
    queues: { 'ship-a': [], 'ship-b': [] },
    ...extra,
  };
}

function kinds(history: HistoryRecord[], final: FinalState): AnomalyKind[] {
  return checkHistory(history, final).anomalies.map((a) => a.kind);
}

describe('checkHistory', () => {
  describe('lost writes', () => {
    const created = revision(1, 'ship:ship-a', { title: 't1' }, { changeId: CHANGE_1 });

    it('accepts a crew write that reached the master', () => {
      const history = [shipCreate('ship-a', A, { title: 't1' })];
      expect(kinds(history, state([doc(A, 1, { title: 't1' })], { [KEY_A]: [created] }))).toEqual(
        [],
      );
    });

    it('reports a crew write that is nowhere', () => {
      const history = [shipCreate('ship-a', A, { title: 't1' })];
      const report = checkHistory(history, state([], {}));
      expect(report.anomalies).toEqual([
        expect.objectContaining({
          kind: 'lost-write',
          node: 'ship-a',
          doc: KEY_A,
          ops: [history[0].id],
        }),
      ]);
    });

    it('ignores writes that were refused or never answered', () => {
      const history = [
        shipCreate('ship-a', A, { title: 't1' }, 503),
        { ...shipUpdate('ship-a', A, { title: 't2' }), status: null, error: 'timeout' },
      ];
      expect(kinds(history, state([], {}))).toEqual([]);
    });

    it('accepts a crew write superseded since: by another node, or by a later write of its ship', () => {
      const history = [
        shipCreate('ship-a', A, { title: 't1' }),
        shipUpdate('ship-a', A, { title: 't2', body: 'b2' }),
        shipUpdate('ship-a', A, { title: 't3' }), // folded into the one before: t2 never sent
      ];
      const revisions = {
        [KEY_A]: [
          created,
          revision(2, 'ship:ship-a', { title: 't3', body: 'b2' }),
          revision(3, 'master:operator', { title: 'shore', body: 'b2' }),
        ],
      };
      expect(kinds(history, state([doc(A, 3, { title: 'shore', body: 'b2' })], revisions))).toEqual(
        [],
      );
    });

    it('reports a later write of the ship that did not replace the lost field', () => {
      const history = [
        shipCreate('ship-a', A, { title: 't1' }),
        shipUpdate('ship-a', A, { title: 't2', body: 'b2' }),
        shipUpdate('ship-a', A, { title: 't3' }),
      ];
      const revisions = { [KEY_A]: [created, revision(2, 'ship:ship-a', { title: 't3' })] };
      const report = checkHistory(history, state([doc(A, 2, { title: 't3' })], revisions));
      expect(report.anomalies.map((a) => [a.kind, a.ops])).toEqual([
        ['lost-write', [history[1].id]],
      ]);
      expect(report.anomalies[0].message).toMatch(/\(body\)/);
    });

    it('accepts a crew write replaced by a later one of its ship that got no answer', () => {
      const history = [
        shipCreate('ship-a', A, { title: 't1' }),
        { ...shipUpdate('ship-a', A, { title: 't2' }), status: null, error: 'timeout' },
      ];
      const revisions = { [KEY_A]: [revision(1, 'ship:ship-a', { title: 't2' })] };
      expect(kinds(history, state([doc(A, 1, { title: 't2' })], revisions))).toEqual([]);
      // Refused (4xx) is not applied: it replaced nothing.
      const refused = [
        shipCreate('ship-a', A, { title: 't1' }),
        shipUpdate('ship-a', A, { title: 't2' }, 409),
      ];
      expect(kinds(refused, state([doc(A, 1, { title: 't2' })], revisions))).toEqual([
        'lost-write',
      ]);
    });

    it('accepts a crew write held in a conflict of its ship, or rejected with its change', () => {
      const history = [
        shipUpdate('ship-a', A, { title: 'sea' }),
        shipUpdate('ship-b', A, { title: 'lww' }),
      ];
      const final = state(
        [doc(A, 2, { title: 'shore' })],
        {
          [KEY_A]: [created, revision(2, 'master:operator', { title: 'shore' })],
        },
        {
          conflicts: [
            conflict({
              status: 'resolved',
              ship: { data: { title: 'sea' }, deleted: false, changedFields: ['title'] },
              resolution: { strategy: 'keep-master', version: 2, by: 'master:operator' },
            }),
          ],
          queues: {
            'ship-a': [],
            'ship-b': [
              row({
                status: 'rejected',
                fields: { title: 'lww' },
                outcome: { version: 2, conflictId: null, reason: 'superseded: last-write-wins' },
              }),
            ],
          },
        },
      );
      expect(kinds(history, final)).toEqual([]);
      // The same conflict held by another ship does not account for ship-a's write.
      const other = { ...final, conflicts: [{ ...final.conflicts[0], shipId: 'ship-b' }] };
      expect(kinds(history, other)).toEqual(['lost-write']);
    });

    it('reads bulk writes, each one acknowledged', () => {
      const history = [
        op({
          node: 'ship-a',
          method: 'POST',
          path: '/api/content/_bulk',
          body: {
            writes: [
              { op: 'create', type: 'note', data: { text: 'n1' } },
              { op: 'update', type: 'article', id: A, locale: 'en', data: { title: 'bulk' } },
            ],
          },
          response: {
            results: [
              { type: 'note', id: B, locale: '' },
              { type: 'article', id: A, locale: 'en' },
            ],
          },
        }),
      ];
      const note = { type: 'note', id: B, locale: '', version: 1, data: { text: 'n1' } };
      const report = checkHistory(
        history,
        state([note], { [KEY_B]: [revision(1, 'ship:ship-a', { text: 'n1' })] }),
      );
      expect(report.anomalies.map((a) => [a.kind, a.doc])).toEqual([['lost-write', KEY_A]]);
      expect(report.stats.writesAcknowledged.ships).toBe(2);
    });

    it('orders the writes of one bulk request: a later one replaces an earlier one', () => {
      const history = [
        op({
          node: 'ship-a',
          method: 'POST',
          path: '/api/content/_bulk',
          body: {
            writes: [
              { op: 'update', type: 'article', id: A, locale: 'en', data: { title: 'u0' } },
              { op: 'update', type: 'article', id: A, locale: 'en', data: { title: 'u1' } },
            ],
          },
          response: { results: [{}, {}] },
        }),
      ];
      const revisions = { [KEY_A]: [revision(1, 'ship:ship-a', { title: 'u1' })] };
      expect(kinds(history, state([doc(A, 1, { title: 'u1' })], revisions))).toEqual([]);
      revisions[KEY_A] = [revision(1, 'ship:ship-a', { title: 'u0' })];
      expect(kinds(history, state([doc(A, 1, { title: 'u0' })], revisions))).toEqual([
        'lost-write',
      ]);
    });

    it("accepts a ship deleting its own unsent creation while another node's lives on", () => {
      const history = [
        shipCreate('ship-b', A, { title: 'mine' }),
        shipUpdate('ship-b', A, { body: 'edit' }),
        shipDelete('ship-b', A),
      ];
      // ship-c created the same document and locale; ship-b's never left it.
      const theirs = { [KEY_A]: [revision(1, 'ship:ship-c', { title: 'theirs' })] };
      expect(kinds(history, state([doc(A, 1, { title: 'theirs' })], theirs))).toEqual([]);
      // Once ship-b's creation was sent, its deletion must reach the master.
      const sent = state([doc(A, 1, { title: 'theirs' })], theirs, {
        queues: { 'ship-a': [], 'ship-b': [row({ op: 'create', status: 'conflict' })] },
      });
      expect(kinds(history, sent)).toEqual(['lost-write']);
    });

    it('follows deletes: deleted for the ship, a conflict, an answered change, or never sent', () => {
      const history = [shipDelete('ship-a', A)];
      const deleted = revision(2, 'ship:ship-a', { title: 't1' }, { deleted: true });
      expect(kinds(history, state([], { [KEY_A]: [created, deleted] }))).toEqual([]);
      expect(kinds(history, state([], {}))).toEqual([]); // never left the ship, gone everywhere
      expect(kinds(history, state([doc(A, 1, { title: 't1' })], { [KEY_A]: [created] }))).toEqual([
        'lost-write',
      ]);
      const held = state(
        [doc(A, 2, { title: 'x' })],
        { [KEY_A]: [created, revision(2, 'master:operator', { title: 'x' })] },
        {
          conflicts: [
            conflict({
              conflictType: 'delete-update',
              ship: { data: {}, deleted: true, changedFields: [] },
              resolution: { strategy: 'keep-master', version: 2, by: 'master:operator' },
            }),
          ],
        },
      );
      expect(kinds(history, held)).toEqual([]);
    });

    it('checks master writes by the version they were answered with', () => {
      const write = op({
        node: 'master-1',
        method: 'PATCH',
        path: `/api/content/article/${A}?locale=en`,
        body: { data: { title: 'shore' } },
        response: { id: A, version: 2 },
      });
      const kept = { [KEY_A]: [created, revision(2, 'master:operator', { title: 'shore' })] };
      expect(kinds([write], state([doc(A, 2, { title: 'shore' })], kept))).toEqual([]);
      const lost = { [KEY_A]: [created, revision(2, 'ship:ship-b', { title: 'other' })] };
      expect(kinds([write], state([doc(A, 2, { title: 'other' })], lost))).toEqual(['lost-write']);
      const remove = op({
        node: 'master-1',
        method: 'DELETE',
        path: `/api/content/article/${A}?locale=en`,
        status: 204,
      });
      expect(kinds([remove], state([doc(A, 1, { title: 't1' })], { [KEY_A]: [created] }))).toEqual([
        'lost-write',
      ]);
    });

    it('checks acknowledged resolutions against the edit log', () => {
      const resolve = op({
        node: 'master-2',
        method: 'POST',
        path: '/api/offline-sync/conflicts/01900000-0000-7000-8000-0000000000f1/resolve',
        body: { strategy: 'keep-ship' },
        response: {
          type: 'article',
          documentId: A,
          locale: 'en',
          resolution: { strategy: 'keep-ship', version: 3 },
        },
      });
      const revisions = { [KEY_A]: [created, revision(2, 'master:operator', { title: 'x' })] };
      expect(kinds([resolve], state([doc(A, 2, { title: 'x' })], revisions))).toEqual([
        'lost-write',
      ]);
      revisions[KEY_A].push(revision(3, 'master:operator', { title: 'y' }));
      expect(kinds([resolve], state([doc(A, 3, { title: 'y' })], revisions))).toEqual([]);
    });
  });

  it('reports a change carried out twice', () => {
    const revisions = {
      [KEY_A]: [
        revision(1, 'ship:ship-a', { title: 'a' }, { changeId: CHANGE_1 }),
        revision(2, 'ship:ship-a', { title: 'b' }, { changeId: CHANGE_2 }),
        revision(3, 'ship:ship-a', { title: 'b' }, { changeId: CHANGE_2 }),
      ],
    };
    const report = checkHistory([], state([doc(A, 3, { title: 'b' })], revisions));
    expect(report.anomalies.map((a) => a.kind)).toEqual(['duplicate-apply']);
    expect(report.anomalies[0].message).toMatch(CHANGE_2);
    revisions[KEY_A].pop();
    expect(kinds([], state([doc(A, 2, { title: 'b' })], revisions))).toEqual([]);
  });

  it('reports nodes that differ, by checksum and by document', () => {
    const revisions = { [KEY_A]: [revision(1, 'ship:ship-a', { title: 'a' })] };
    const final = state([doc(A, 1, { title: 'a' })], revisions);
    final.documents['ship-b'] = [doc(A, 1, { title: 'stale' })];
    final.checksums['ship-b'] = { checksum: 'y', documents: 1 };
    const report = checkHistory([], final);
    expect(report.anomalies.map((a) => [a.kind, a.node])).toEqual([['diverged', 'ship-b']]);
    expect(report.anomalies[0].message).toMatch(/checksums differ/);
    final.checksums['ship-a'] = { error: 'connect ECONNREFUSED' };
    expect(kinds([], final)).toEqual(['diverged', 'diverged']);
  });

  it('reports a deleted document that came back without a conflict resolved into it', () => {
    const revisions = {
      [KEY_A]: [
        revision(1, 'ship:ship-a', { title: 'a' }),
        revision(2, 'master:operator', { title: 'a' }, { deleted: true }),
        revision(3, 'ship:ship-b', { title: 'b' }),
      ],
    };
    const final = state([doc(A, 3, { title: 'b' })], revisions);
    expect(kinds([], final)).toEqual(['resurrected']);
    const resolved = conflict({
      conflictType: 'update-delete',
      shipId: 'ship-b',
      baseVersion: 1,
      master: { version: 2, data: {}, deleted: true },
      resolution: { strategy: 'keep-ship', version: 3, by: 'master:operator' },
    });
    expect(kinds([], { ...final, conflicts: [resolved] })).toEqual([]);
  });

  it('accepts a ship edit winning over a deletion where the policy says so', () => {
    const revisions = {
      [KEY_A]: [
        revision(1, 'ship:ship-a', { title: 'a' }),
        revision(2, 'master:operator', { title: 'a' }, { deleted: true }),
        revision(3, 'ship:ship-b', { title: 'b' }, { changeId: CHANGE_2 }),
      ],
    };
    const final = state([doc(A, 3, { title: 'b' })], revisions);
    const run = (policy: string): HistoryRecord => ({
      type: 'run',
      t: 0,
      seed: 1,
      options: {},
      policies: { article: policy },
      replay: '',
      startedAt: '',
    });
    expect(kinds([run('ship-wins')], final)).toEqual([]);
    expect(kinds([run('last-write-wins')], final)).toEqual([]);
    expect(kinds([run('master-wins')], final)).toEqual(['resurrected']);
    expect(kinds([run('field-merge')], final)).toEqual(['resurrected']);
  });

  it('reports conflicts without a cause, left open, or stranded on a ship', () => {
    const revisions = {
      [KEY_A]: [
        revision(1, 'ship:ship-a', { title: 'a' }),
        revision(2, 'ship:ship-a', { title: 'b' }),
        revision(3, 'master:operator', { title: 'c' }),
      ],
    };
    const live = [doc(A, 3, { title: 'c' })];
    const caused = conflict({
      baseVersion: 1,
      master: { version: 3, data: {}, deleted: false },
      resolution: { strategy: 'keep-master', version: 3, by: 'master:operator' },
    });
    expect(kinds([], state(live, revisions, { conflicts: [caused] }))).toEqual([]);
    const uncaused = conflict({ baseVersion: 1, master: { version: 2, data: {}, deleted: false } });
    expect(kinds([], state(live, revisions, { conflicts: [uncaused] }))).toEqual([
      'conflict-without-cause',
    ]);
    const open = { ...caused, status: 'open', resolution: null };
    expect(kinds([], state(live, revisions, { conflicts: [open] }))).toEqual([
      'conflict-left-open',
    ]);

    const stranded = state(live, revisions, { conflicts: [caused] });
    stranded.documents['ship-a'] = [
      { ...live[0], sync: { state: 'conflict', baseVersion: 3, conflictId: caused.id } },
    ];
    expect(kinds([], stranded)).toEqual(['stranded-conflict']);
  });

  it('reports changes without an outcome, and rejections without a reason', () => {
    const revisions = { [KEY_A]: [revision(1, 'ship:ship-a', { title: 'a' })] };
    const live = [doc(A, 1, { title: 'a' })];
    const settled = state(live, revisions, {
      queues: { 'ship-a': [row({ status: 'applied' })], 'ship-b': [] },
    });
    expect(kinds([], settled)).toEqual([]);
    const waiting = state(live, revisions, {
      queues: { 'ship-a': [row({ status: 'sent', outcome: null })], 'ship-b': [] },
    });
    expect(kinds([], waiting)).toEqual(['unsettled-change']);
    const silent = state(live, revisions, {
      queues: {
        'ship-a': [
          row({ status: 'rejected', outcome: { version: null, conflictId: null, reason: null } }),
        ],
        'ship-b': [],
      },
    });
    expect(kinds([], silent)).toEqual(['rejected-without-reason']);
    const pendingDoc = state(live, revisions);
    pendingDoc.documents['ship-b'] = [{ ...live[0], sync: { state: 'pending', baseVersion: 1 } }];
    expect(kinds([], pendingDoc)).toEqual(['unsettled-change']);
  });

  it('reports a dead letter without a reason', () => {
    const letter = {
      id: 'd1',
      topic: 'ship-updates',
      reason: 'bad-signature',
      detail: 'x',
      status: 'exhausted',
      sender: 'ship-a',
    };
    expect(kinds([], state([], {}, { deadLetters: [letter] }))).toEqual([]);
    expect(kinds([], state([], {}, { deadLetters: [{ ...letter, reason: '' }] }))).toEqual([
      'dead-letter-without-reason',
    ]);
  });

  it('reports master content that is not the last version of its edit log', () => {
    const revisions = {
      [KEY_A]: [
        revision(1, 'ship:ship-a', { title: 'a' }),
        revision(2, 'master:operator', { title: 'b' }),
      ],
    };
    expect(kinds([], state([doc(A, 2, { title: 'b' })], revisions))).toEqual([]);
    expect(kinds([], state([doc(A, 1, { title: 'a' })], revisions))).toEqual(['history-mismatch']);
    expect(kinds([], state([], revisions))).toEqual(['history-mismatch']);
    expect(kinds([], state([doc(A, 2, { title: 'b' })], {}))).toEqual(['history-mismatch']);
  });

  it('reports a process that stopped by itself after it was ready, not one that failed to start', () => {
    const final = state([], {});
    const exit = (ready: boolean): HistoryRecord => ({
      type: 'process',
      t: 12_000,
      node: 'master-2',
      event: 'exit',
      detail: 'code 1',
      ready,
    });
    expect(kinds([exit(false)], final)).toEqual([]);
    const report = checkHistory([exit(true)], final);
    expect(report.anomalies.map((a) => [a.kind, a.node])).toEqual([['crash', 'master-2']]);
    expect(report.stats.processExits).toEqual({ starting: 0, crashed: 1 });
  });

  it('counts faults by kind, acknowledged writes and process exits', () => {
    const fault = {
      id: 1,
      at: 0,
      durationMs: 10,
      kind: 'kill-ship' as const,
      target: 'ship-a',
      params: {},
    };
    const history: HistoryRecord[] = [
      { type: 'fault', t: 1, phase: 'start', fault },
      { type: 'fault', t: 2, phase: 'end', fault },
      { type: 'fault', t: 3, phase: 'start', fault: { ...fault, id: 2, kind: 'link-cut' } },
      // A fault that could not be done is not counted as injected.
      { type: 'fault', t: 3, phase: 'start', fault: { ...fault, id: 3 }, error: 'exited' },
      { type: 'process', t: 4, node: 'master-1', event: 'exit', detail: 'code 1' },
      { type: 'process', t: 5, node: 'ship-a', event: 'start', detail: 'restarted' },
      shipCreate('ship-a', A, { title: 'a' }),
    ];
    const { stats } = checkHistory(
      history,
      state([doc(A, 1, { title: 'a' })], { [KEY_A]: [revision(1, 'ship:ship-a', { title: 'a' })] }),
    );
    expect(stats.faultsByKind).toEqual({ 'kill-ship': 1, 'link-cut': 1 });
    expect(stats.faultErrors).toBe(1);
    expect(stats.processExits).toEqual({ starting: 1, crashed: 0 });
    expect(stats.writesAcknowledged).toEqual({ ships: 1, masters: 0, resolutions: 0 });
    expect(stats.answers).toEqual({ '2xx': 1 });
  });
});
