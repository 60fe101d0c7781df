import {
  ContentTypeRegistry,
  parseContentTypes,
  type ShipChangeDto,
} from '@offline-sync/sync-core';
import { refKey, type DocumentRef } from '../documents/document-key';
import type { DocumentState } from '../documents/document-state';
import type { PlanInput } from './batch-plan';
import { BatchPlanState } from './batch-plan-state';
import { superseded } from './change-batch-planner';

const DOC = '0190a000-0000-7000-8000-000000000001';
const ref: DocumentRef = { type: 'article', documentId: DOC, locale: 'en' };
const key = refKey(ref);
const current: DocumentState = {
  ...ref,
  version: 4,
  deleted: false,
  data: { title: 'master' },
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'ship:a',
};

function input(): PlanInput {
  return {
    changes: [],
    highWater: new Map([['a', 3]]),
    recorded: new Map(),
    states: new Map([[key, current]]),
    revisions: new Map([[key, []]]),
    openConflicts: new Map(),
    newestAccepted: new Map(),
    contentTypes: new ContentTypeRegistry(parseContentTypes(JSON.stringify({ article: {} }))),
    newConflictId: () => 'c',
  };
}

function change(seq: number): ShipChangeDto {
  return {
    changeId: `0190a000-0000-7000-8000-00000000010${seq}`,
    seq,
    op: 'update',
    ...ref,
    baseVersion: 4,
    fields: { title: 'x' },
    editedAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('superseded', () => {
  it.each([
    ['no change of the ship accepted yet', 0, 5, false],
    ['a later change than the one accepted', 4, 5, false],
    ['the very change accepted (a redelivery is answered before)', 5, 5, false],
    ['an older change than the one accepted', 6, 5, true],
  ])('%s: newest accepted %s, seq %s', (_case, newest, seq, expected) => {
    const state = new BatchPlanState(input());
    const outcome = superseded(state, change(seq), ref, newest);
    expect(outcome !== null).toBe(expected);
    if (outcome) {
      expect(outcome).toMatchObject({ status: 'rejected', seq, version: current.version });
      expect(outcome.reason).toMatch(/^superseded: change 6 of this ship/);
    }
  });
});

describe('BatchPlanState', () => {
  it('plans versions and high-water marks on its own copies, never on the input', () => {
    const given = input();
    const state = new BatchPlanState(given);
    state.addVersion(key, state.revisions.get(key) ?? [], {
      ...ref,
      version: 5,
      deleted: false,
      data: { title: 'ship' },
      author: 'ship:a',
      changedFields: ['title'],
      origin: { shipId: 'a', changeId: change(5).changeId },
      at: '2026-01-02T00:00:00.000Z',
    });
    state.record('a', 'a/x', 5, { ...ref, changeId: 'x', seq: 5, status: 'applied', version: 5 });
    const plan = state.finish();

    expect(state.states.get(key)).toMatchObject({ version: 5, updatedBy: 'ship:a' });
    expect(state.revisions.get(key)).toEqual([
      {
        version: 5,
        author: 'ship:a',
        changedFields: ['title'],
        deleted: false,
        at: '2026-01-02T00:00:00.000Z',
      },
    ]);
    expect(plan.highWater.get('a')).toBe(5);
    expect(plan.counts).toEqual({ applied: 1, conflicts: 0, rejected: 0, redelivered: 0 });
    expect(state.knownOutcome('a/x')).toMatchObject({ status: 'applied' });
    expect(given.states.get(key)).toBe(current);
    expect(given.revisions.get(key)).toEqual([]);
    expect(given.newestAccepted.size).toBe(0);
  });
});
