import {
  ContentTypeRegistry,
  MAX_DOCUMENT_BYTES,
  parseContentTypes,
  type MasterRevision,
  type ShipChangeDto,
} from '@offline-sync/sync-core';
import { v7 as uuidv7 } from 'uuid';
import { conflictKey } from '../conflicts/conflict-draft';
import { refKey } from '../documents/document-key';
import type { DocumentState } from '../documents/document-state';
import {
  acceptedKey,
  outcomeKey,
  planBatch,
  type IncomingChange,
  type PlanInput,
} from './change-batch-planner';

const contentTypes = new ContentTypeRegistry(
  parseContentTypes(
    JSON.stringify({
      article: { schema: { type: 'object', properties: { title: { type: 'string' } } } },
      page: { policy: 'field-merge' },
      setting: { localized: false },
    }),
  ),
);
const DOC = '0190a000-0000-7000-8000-000000000001';
let seq = 0;

function change(partial: Partial<ShipChangeDto>): ShipChangeDto {
  seq += 1;
  return {
    changeId: uuidv7(),
    seq,
    op: 'update',
    type: 'article',
    documentId: DOC,
    locale: 'en',
    baseVersion: 1,
    fields: { title: 'x' },
    editedAt: '2026-01-01T00:00:00.000Z',
    ...partial,
  };
}

function state(version: number, data: Record<string, unknown>, locale = 'en'): DocumentState {
  return {
    type: 'article',
    documentId: DOC,
    locale,
    version,
    deleted: false,
    data,
    updatedAt: '2026-01-01T00:00:00.000Z',
    updatedBy: 'ship:a',
  };
}

function revision(version: number, author: string, changedFields: string[]): MasterRevision {
  return { version, author, changedFields, deleted: false, at: '2026-01-01T00:00:00.000Z' };
}

type PartialInput = Partial<Omit<PlanInput, 'changes'>> & {
  changes?: Array<Pick<IncomingChange, 'shipId' | 'change'> & Partial<IncomingChange>>;
};

/** Changes as the ingest hands them over: edit time as sent, text checked. */
function input({ changes = [], ...partial }: PartialInput): PlanInput {
  return {
    highWater: new Map(),
    recorded: new Map(),
    states: new Map(),
    revisions: new Map(),
    openConflicts: new Map(),
    newestAccepted: new Map(),
    contentTypes,
    newConflictId: () => uuidv7(),
    ...partial,
    changes: changes.map((c) => ({ editedAt: c.change.editedAt, checkText: true, ...c })),
  };
}

const key = refKey({ type: 'article', documentId: DOC, locale: 'en' });

describe('planBatch', () => {
  it('numbers versions one by one through a batch, later changes seeing earlier ones', () => {
    const create = change({ op: 'create', baseVersion: 0, fields: { title: 'a' } });
    const edit = change({ baseVersion: 1, fields: { title: 'b' } });
    const again = change({ baseVersion: 1, fields: { body: 'c' } });
    const plan = planBatch(
      input({ changes: [create, edit, again].map((c) => ({ shipId: 'a', change: c })) }),
    );
    expect(plan.versions.map((v) => [v.version, v.changedFields, v.data])).toEqual([
      [1, ['title'], { title: 'a' }],
      [2, ['title'], { title: 'b' }],
      [3, ['body'], { title: 'b', body: 'c' }],
    ]);
    expect(plan.decided.map((d) => d.outcome.version)).toEqual([1, 2, 3]);
    expect(plan.highWater.get('a')).toBe(again.seq);
  });

  it('opens one conflict for a foreign revision and folds a later change of the same ship into it', () => {
    const first = change({ fields: { title: 'ship' } });
    const second = change({ fields: { body: 'more' } });
    const plan = planBatch(
      input({
        changes: [first, second].map((c) => ({ shipId: 'b', change: c })),
        states: new Map([[key, state(2, { title: 'master' })]]),
        revisions: new Map([[key, [revision(2, 'master:alice', ['title'])]]]),
      }),
    );
    expect(plan.conflicts).toHaveLength(1);
    expect(plan.conflicts[0]).toMatchObject({
      isNew: true,
      changeId: second.changeId,
      shipFields: { title: 'ship', body: 'more' },
      masterVersion: 2,
      foreignAuthors: ['master:alice'],
    });
    const ids = new Set(plan.decided.map((d) => d.outcome.conflictId));
    expect(ids.size).toBe(1);
    expect(plan.versions).toEqual([]);
  });

  it('updates the open conflict of the same document/locale/ship instead of opening another', () => {
    const open = uuidv7();
    const plan = planBatch(
      input({
        changes: [{ shipId: 'b', change: change({}) }],
        states: new Map([[key, state(2, { title: 'master' })]]),
        revisions: new Map([[key, [revision(2, 'ship:a', ['title'])]]]),
        openConflicts: new Map([
          [conflictKey({ type: 'article', documentId: DOC, locale: 'en' }, 'b'), open],
        ]),
      }),
    );
    expect(plan.conflicts[0]).toMatchObject({ id: open, isNew: false });
    expect(plan.decided[0].outcome).toMatchObject({ status: 'conflict', conflictId: open });
  });

  it('answers a change decided before with its recorded outcome and applies nothing', () => {
    const redelivered = change({});
    const recorded = {
      changeId: redelivered.changeId,
      seq: redelivered.seq,
      documentId: DOC,
      type: 'article',
      locale: 'en',
      status: 'applied' as const,
      version: 7,
    };
    const plan = planBatch(
      input({
        changes: [{ shipId: 'a', change: redelivered }],
        recorded: new Map([[outcomeKey('a', redelivered.changeId), recorded]]),
      }),
    );
    expect(plan.versions).toEqual([]);
    expect(plan.decided).toEqual([]);
    expect(plan.outbound.get('a')).toEqual([recorded]);
    expect(plan.counts.redelivered).toBe(1);
  });

  it('answers the same change twice in one batch once, then with the same outcome', () => {
    const create = change({ op: 'create', baseVersion: 0, fields: { title: 'a' } });
    const plan = planBatch(
      input({
        changes: [
          { shipId: 'a', change: create },
          { shipId: 'a', change: create },
        ],
      }),
    );
    expect(plan.versions).toHaveLength(1);
    expect(plan.outbound.get('a')).toEqual([plan.decided[0].outcome, plan.decided[0].outcome]);
  });

  it('rejects data that breaks the schema, unknown types and locales of unlocalised types', () => {
    const plan = planBatch(
      input({
        changes: [
          change({ op: 'create', baseVersion: 0, fields: { title: 1 } }),
          change({ op: 'create', type: 'gadget', baseVersion: 0 }),
          change({ op: 'create', type: 'setting', baseVersion: 0, locale: 'en' }),
        ].map((c) => ({ shipId: 'a', change: c })),
      }),
    );
    expect(plan.decided.map((d) => d.outcome.reason?.split(':')[0])).toEqual([
      'invalid-data',
      'unknown-content-type',
      'invalid-data',
    ]);
    expect(plan.versions).toEqual([]);
  });

  it('keeps locales apart: a revision of one locale is not foreign to another', () => {
    const fr = refKey({ type: 'article', documentId: DOC, locale: 'fr' });
    const plan = planBatch(
      input({
        changes: [{ shipId: 'b', change: change({ locale: 'fr', baseVersion: 1 }) }],
        states: new Map([
          [key, state(5, { title: 'en' })],
          [fr, state(1, { title: 'fr' }, 'fr')],
        ]),
        revisions: new Map([[key, [revision(5, 'master:alice', ['title'])]]]),
      }),
    );
    expect(plan.decided[0].outcome).toMatchObject({ status: 'applied', version: 2, locale: 'fr' });
  });

  it('merges non-overlapping fields under field-merge', () => {
    const pageKey = refKey({ type: 'page', documentId: DOC, locale: 'en' });
    const plan = planBatch(
      input({
        changes: [{ shipId: 'b', change: change({ type: 'page', fields: { body: 'ship' } }) }],
        states: new Map([
          [pageKey, { ...state(2, { title: 'master', body: 'old' }), type: 'page' }],
        ]),
        revisions: new Map([[pageKey, [revision(2, 'master:alice', ['title'])]]]),
      }),
    );
    expect(plan.versions[0]).toMatchObject({ version: 3, data: { title: 'master', body: 'ship' } });
  });

  describe('order: a change older than one the ship already had accepted', () => {
    const ref = { type: 'article', documentId: DOC, locale: 'en' };
    it.each([
      ['accepted in an earlier batch', 'stored', 'superseded'],
      ['accepted earlier in the same batch', 'batch', 'superseded'],
      ['none accepted yet', 'none', 'applied'],
    ])('%s', (_name, where, expected) => {
      const older = change({ baseVersion: 1, fields: { title: 'older' } });
      const newer = change({ baseVersion: 1, fields: { title: 'newer' } });
      const changes =
        where === 'batch'
          ? [newer, older].map((c) => ({ shipId: 'a', change: c }))
          : [{ shipId: 'a', change: older }];
      const plan = planBatch(
        input({
          changes,
          states: new Map([[key, state(where === 'stored' ? 2 : 1, { title: 'v' })]]),
          revisions: new Map([[key, where === 'stored' ? [revision(2, 'ship:a', ['title'])] : []]]),
          newestAccepted: new Map(where === 'stored' ? [[acceptedKey('a', ref), newer.seq]] : []),
        }),
      );
      const outcome = plan.decided.find((d) => d.outcome.changeId === older.changeId)?.outcome;
      if (expected === 'applied') {
        expect(outcome).toMatchObject({ status: 'applied' });
      } else {
        expect(outcome).toMatchObject({ status: 'rejected', version: 2 });
        expect(outcome?.reason).toMatch(/^superseded: change \d+ of this ship/);
        expect(plan.versions.map((v) => v.data.title)).not.toContain('older');
      }
    });

    it('is not superseded by a newer change of another ship or another locale', () => {
      const older = change({ baseVersion: 1, fields: { title: 'older' } });
      const plan = planBatch(
        input({
          changes: [{ shipId: 'a', change: older }],
          states: new Map([[key, state(1, { title: 'v' })]]),
          newestAccepted: new Map([
            [acceptedKey('b', ref), older.seq + 5],
            [acceptedKey('a', { ...ref, locale: 'fr' }), older.seq + 5],
          ]),
        }),
      );
      expect(plan.decided[0].outcome).toMatchObject({ status: 'applied', version: 2 });
    });
  });

  it.each([
    ['a NUL character', { title: 'a\u0000' }, /^invalid-data: data\.title: .*NUL/],
    ['a lone surrogate', { title: '\ud800' }, /^invalid-data: data\.title: .*surrogate/],
  ])('rejects %s alone, before any rule, whatever the policy', (_name, fields, reason) => {
    const bad = change({ op: 'create', baseVersion: 0, documentId: uuidv7(), fields });
    const good = change({ op: 'create', baseVersion: 0, documentId: uuidv7() });
    const plan = planBatch(
      input({ changes: [bad, good].map((c) => ({ shipId: 'a', change: c })) }),
    );
    expect(plan.decided[0].outcome.reason).toMatch(reason);
    expect(plan.decided[1].outcome).toMatchObject({ status: 'applied', version: 1 });
  });

  it('gives a conflict outcome the master version the conflict is against', () => {
    const plan = planBatch(
      input({
        changes: [{ shipId: 'b', change: change({}) }],
        states: new Map([[key, state(4, { title: 'master' })]]),
        revisions: new Map([[key, [revision(4, 'master:alice', ['title'])]]]),
      }),
    );
    expect(plan.decided[0].outcome).toMatchObject({ status: 'conflict', version: 4 });
  });

  it('decides and records with the edit time it is given, not the one the ship wrote', () => {
    const noteTypes = new ContentTypeRegistry(
      parseContentTypes(JSON.stringify({ note: { policy: 'last-write-wins' } })),
    );
    const noteKey = refKey({ type: 'note', documentId: DOC, locale: 'en' });
    const claimed = change({ type: 'note', editedAt: '2027-06-01T00:00:00.000Z' });
    const plan = planBatch(
      input({
        contentTypes: noteTypes,
        changes: [{ shipId: 'a', change: claimed, editedAt: '2026-01-01T00:00:00.000Z' }],
        states: new Map([[noteKey, { ...state(2, { title: 'shore' }), type: 'note' }]]),
        revisions: new Map([
          [
            noteKey,
            [{ ...revision(2, 'master:alice', ['title']), at: '2026-03-01T00:00:00.000Z' }],
          ],
        ]),
      }),
    );
    expect(plan.decided[0].outcome.reason).toMatch(/^superseded: last-write-wins/);
  });

  describe('refuses a resulting document over the size limit as too-large; the rest applies', () => {
    const half = 'x'.repeat(MAX_DOCUMENT_BYTES / 2);
    const cases: Array<[string, ShipChangeDto, DocumentState | null, MasterRevision[]]> = [
      [
        'a create',
        change({ op: 'create', baseVersion: 0, fields: { body: `${half}${half}` } }),
        null,
        [],
      ],
      [
        "an update's fields merged into the current data",
        change({ baseVersion: 1, fields: { body: half } }),
        state(1, { title: 'a', notes: half }),
        [],
      ],
      [
        'a field-merge result',
        change({ type: 'page', baseVersion: 1, fields: { body: half } }),
        { ...state(2, { title: 'a', notes: half }), type: 'page' },
        [revision(2, 'master:alice', ['notes'])],
      ],
    ];
    it.each(cases)('%s', (_name, big, current, history) => {
      const ref = current ? refKey(current) : key;
      const small = change({ op: 'create', documentId: uuidv7(), baseVersion: 0 });
      const plan = planBatch(
        input({
          changes: [big, small].map((c) => ({ shipId: 'a', change: c })),
          states: new Map(current ? [[ref, current]] : []),
          revisions: new Map([[ref, history]]),
        }),
      );
      expect(plan.decided[0].outcome).toMatchObject({ status: 'rejected' });
      expect(plan.decided[0].outcome.reason).toMatch(
        new RegExp(`^too-large: is \\d+ bytes of JSON, over the ${MAX_DOCUMENT_BYTES}-byte`),
      );
      expect(plan.decided[1].outcome).toMatchObject({ status: 'applied', version: 1 });
      expect(plan.versions.map((v) => v.documentId)).toEqual([small.documentId]);
    });
  });

  describe('local-only fields from the wire', () => {
    const withLocal = new ContentTypeRegistry(
      parseContentTypes(JSON.stringify({ article: { localOnly: ['pinCode'] } })),
      /password$/i,
    );

    it('are never stored: a create and an update keep the rest, the master keeps its own values', () => {
      const create = change({
        op: 'create',
        baseVersion: 0,
        fields: { title: 'a', pinCode: '1234', password: 'hunter2' },
      });
      const created = planBatch(
        input({ contentTypes: withLocal, changes: [{ shipId: 'a', change: create }] }),
      );
      expect(created.versions.map((v) => v.data)).toEqual([{ title: 'a' }]);

      const edit = change({ baseVersion: 1, fields: { title: 'b', pinCode: '0000' } });
      const edited = planBatch(
        input({
          contentTypes: withLocal,
          changes: [{ shipId: 'a', change: edit }],
          states: new Map([[key, state(1, { title: 'a', pinCode: 'shore-pin' })]]),
        }),
      );
      expect(edited.versions.map((v) => [v.version, v.data])).toEqual([
        [2, { title: 'b', pinCode: 'shore-pin' }],
      ]);
    });

    it('alone make no new version: the change is applied at the current one', () => {
      const edit = change({ baseVersion: 1, fields: { pinCode: '0000' } });
      const plan = planBatch(
        input({
          contentTypes: withLocal,
          changes: [{ shipId: 'a', change: edit }],
          states: new Map([[key, state(1, { title: 'a' })]]),
        }),
      );
      expect(plan.versions).toEqual([]);
      expect(plan.decided.map((d) => [d.outcome.status, d.outcome.version])).toEqual([
        ['applied', 1],
      ]);
    });

    it('never reach a conflict record', () => {
      const edit = change({ baseVersion: 1, fields: { title: 'ship', pinCode: '0000' } });
      const plan = planBatch(
        input({
          contentTypes: withLocal,
          changes: [{ shipId: 'b', change: edit }],
          states: new Map([[key, state(2, { title: 'master' })]]),
          revisions: new Map([[key, [revision(2, 'master:alice', ['title'])]]]),
        }),
      );
      expect(plan.conflicts.map((c) => c.shipFields)).toEqual([{ title: 'ship' }]);
    });
  });
});
