import { ChangeDecision, MasterRevision, ShipChangeDecisionInput } from './change-decision';
import { ConflictPolicy } from './conflict-policy';
import { decideShipChange } from './decide-ship-change';

const SHIP = 'ship-a';
const OWN = 'ship:ship-a';
const OTHER_SHIP = 'ship:ship-b';
const ADMIN = 'master:alice';

const T0 = '2024-01-15T10:00:00.000Z';
const EARLIER = '2024-01-15T09:00:00.000Z';
const LATER = '2024-01-15T11:00:00.000Z';

const DATA = { title: 'Harbour open', body: 'All berths free', tags: ['port'] };

function rev(
  version: number,
  author: string,
  changedFields: string[],
  extra: Partial<MasterRevision> = {},
): MasterRevision {
  return { version, author, changedFields, deleted: false, at: T0, ...extra };
}

interface Case {
  name: string;
  op?: 'create' | 'update' | 'delete';
  base?: number;
  fields?: Record<string, unknown>;
  editedAt?: string;
  /** Current master version, or null for a document the master does not have. */
  version?: number | null;
  deleted?: boolean;
  data?: Record<string, unknown>;
  revisions?: MasterRevision[];
  policy?: ConflictPolicy;
  expected: Partial<ChangeDecision> & { outcome: ChangeDecision['outcome'] };
}

function inputOf(c: Case): ShipChangeDecisionInput {
  const op = c.op ?? 'update';
  const version = c.version === undefined ? 3 : c.version;
  return {
    shipId: SHIP,
    change: {
      op,
      baseVersion: c.base ?? (op === 'create' ? 0 : 3),
      fields: c.fields ?? (op === 'delete' ? {} : { title: 'Harbour closed' }),
      editedAt: c.editedAt ?? T0,
    },
    current:
      version === null
        ? null
        : { version, deleted: c.deleted ?? false, data: c.data ?? DATA, updatedAt: T0 },
    revisionsAfterBase: c.revisions ?? [],
    policy: c.policy ?? 'manual',
  };
}

const cases: Case[] = [
  // A new document and documents the master does not know.
  {
    name: 'create of a new document',
    op: 'create',
    version: null,
    fields: DATA,
    expected: { outcome: 'apply', data: DATA, deleted: false, rule: 'create' },
  },
  {
    name: 'update of a document that never existed',
    version: null,
    expected: { outcome: 'reject', reason: 'unknown-document' },
  },
  {
    name: 'delete of a document that never existed',
    op: 'delete',
    version: null,
    expected: { outcome: 'reject', reason: 'unknown-document' },
  },
  {
    name: 'update based on a version the master never issued',
    base: 5,
    expected: { outcome: 'reject', reason: 'base-version-ahead' },
  },

  // m == b: fast-forward.
  {
    name: 'update on the current version',
    expected: {
      outcome: 'apply',
      data: { ...DATA, title: 'Harbour closed' },
      deleted: false,
      rule: 'fast-forward',
    },
  },
  {
    name: 'delete on the current version keeps the last data in the tombstone',
    op: 'delete',
    expected: { outcome: 'apply', data: DATA, deleted: true, rule: 'fast-forward' },
  },
  {
    name: 'update on a tombstone the ship had seen resurrects it from the last data',
    deleted: true,
    expected: {
      outcome: 'apply',
      data: { ...DATA, title: 'Harbour closed' },
      deleted: false,
      rule: 'fast-forward',
    },
  },
  {
    name: 'seed defect: a ship that already saw the admin edit gets no false conflict',
    base: 3,
    revisions: [rev(3, ADMIN, ['title'])],
    expected: { outcome: 'apply', rule: 'fast-forward' },
  },
  {
    name: 'revisions at or below the base are ignored',
    base: 3,
    revisions: [rev(2, ADMIN, ['title']), rev(3, OTHER_SHIP, ['title'])],
    expected: { outcome: 'apply', rule: 'fast-forward' },
  },

  // m > b, only this ship's own revisions since b.
  {
    name: "seed defect: the ship's own earlier accepted edit is not a conflict",
    base: 1,
    revisions: [rev(2, OWN, ['title']), rev(3, OWN, ['body'])],
    fields: { title: 'Third edit' },
    expected: {
      outcome: 'apply',
      data: { ...DATA, title: 'Third edit' },
      deleted: false,
      rule: 'own-revisions',
    },
  },
  {
    name: 'delete after its own accepted edits',
    op: 'delete',
    base: 2,
    revisions: [rev(3, OWN, ['title'])],
    expected: { outcome: 'apply', deleted: true, rule: 'own-revisions' },
  },
  {
    name: 'delete of a document it already deleted itself',
    op: 'delete',
    base: 2,
    deleted: true,
    revisions: [rev(3, OWN, [], { deleted: true })],
    expected: { outcome: 'noop', rule: 'already-deleted' },
  },
  {
    name: 'delete of a document someone else already deleted',
    op: 'delete',
    base: 2,
    deleted: true,
    revisions: [rev(3, ADMIN, [], { deleted: true })],
    expected: { outcome: 'noop', rule: 'already-deleted' },
  },

  // Foreign revisions, manual policy.
  {
    name: 'seed defect: ship-vs-ship concurrent edit is a conflict, not a silent overwrite',
    base: 2,
    revisions: [rev(3, OTHER_SHIP, ['title'])],
    expected: {
      outcome: 'conflict',
      conflictType: 'update-update',
      shipFields: ['title'],
      foreignFields: ['title'],
      foreignAuthors: [OTHER_SHIP],
      overlapping: [],
      rule: 'manual',
    },
  },
  {
    name: 'admin edit since the base, manual policy',
    base: 2,
    fields: { body: 'Berth 4 closed' },
    revisions: [rev(3, ADMIN, ['title'])],
    expected: { outcome: 'conflict', conflictType: 'update-update', rule: 'manual' },
  },
  {
    name: 'own and foreign revisions mixed: the foreign one counts',
    base: 1,
    revisions: [rev(2, OWN, ['title']), rev(3, ADMIN, ['tags', 'body'])],
    expected: {
      outcome: 'conflict',
      foreignFields: ['body', 'tags'],
      foreignAuthors: [ADMIN],
      rule: 'manual',
    },
  },
  {
    name: 'update vs a foreign delete',
    base: 2,
    deleted: true,
    revisions: [rev(3, ADMIN, [], { deleted: true })],
    expected: { outcome: 'conflict', conflictType: 'update-delete', rule: 'manual' },
  },
  {
    name: 'delete vs a foreign update',
    op: 'delete',
    base: 2,
    revisions: [rev(3, OTHER_SHIP, ['title'])],
    expected: {
      outcome: 'conflict',
      conflictType: 'delete-update',
      shipFields: [],
      foreignFields: ['title'],
    },
  },
  {
    name: 'revisions missing from the log count as foreign',
    base: 1,
    revisions: [rev(3, OWN, ['title'])],
    expected: { outcome: 'conflict', conflictType: 'update-update', rule: 'manual' },
  },

  // field-merge.
  {
    name: 'field-merge: disjoint fields merge',
    policy: 'field-merge',
    base: 2,
    data: { ...DATA, title: 'Admin title' },
    fields: { body: 'Ship body' },
    revisions: [rev(3, ADMIN, ['title'])],
    expected: {
      outcome: 'apply',
      data: { ...DATA, title: 'Admin title', body: 'Ship body' },
      deleted: false,
      rule: 'field-merge',
    },
  },
  {
    name: 'field-merge: overlapping fields fall back to a conflict',
    policy: 'field-merge',
    base: 1,
    fields: { title: 'Ship title', body: 'Ship body' },
    revisions: [rev(2, ADMIN, ['title']), rev(3, OTHER_SHIP, ['tags'])],
    expected: {
      outcome: 'conflict',
      conflictType: 'update-update',
      overlapping: ['title'],
      rule: 'field-overlap',
    },
  },
  {
    name: 'field-merge: both sides made the same edit',
    policy: 'field-merge',
    base: 2,
    data: { ...DATA, title: 'Same' },
    fields: { title: 'Same', body: 'Ship body' },
    revisions: [rev(3, ADMIN, ['title'])],
    expected: {
      outcome: 'apply',
      data: { ...DATA, title: 'Same', body: 'Ship body' },
      rule: 'field-merge',
    },
  },
  {
    name: 'field-merge: update vs a foreign delete cannot merge',
    policy: 'field-merge',
    base: 2,
    deleted: true,
    revisions: [rev(3, ADMIN, [], { deleted: true })],
    expected: { outcome: 'conflict', conflictType: 'update-delete', rule: 'delete-involved' },
  },
  {
    name: 'field-merge: delete vs a foreign update cannot merge',
    policy: 'field-merge',
    op: 'delete',
    base: 2,
    revisions: [rev(3, ADMIN, ['title'])],
    expected: { outcome: 'conflict', conflictType: 'delete-update', rule: 'delete-involved' },
  },
  {
    name: 'field-merge: a foreign delete and restore since the base cannot merge',
    policy: 'field-merge',
    base: 1,
    fields: { body: 'Ship body' },
    revisions: [rev(2, ADMIN, [], { deleted: true }), rev(3, ADMIN, ['title'])],
    expected: { outcome: 'conflict', conflictType: 'update-update', rule: 'delete-involved' },
  },
  {
    name: 'field-merge: versions missing from the log cannot merge',
    policy: 'field-merge',
    base: 1,
    fields: { body: 'Ship body' },
    revisions: [rev(3, ADMIN, ['title'])],
    expected: { outcome: 'conflict', rule: 'unknown-history' },
  },

  // master-wins / ship-wins.
  {
    name: 'master-wins: the ship edit is discarded',
    policy: 'master-wins',
    base: 2,
    revisions: [rev(3, ADMIN, ['body'])],
    expected: { outcome: 'keep-master', rule: 'master-wins' },
  },
  {
    name: 'master-wins: also against another ship',
    policy: 'master-wins',
    op: 'delete',
    base: 2,
    revisions: [rev(3, OTHER_SHIP, ['title'])],
    expected: { outcome: 'keep-master', rule: 'master-wins' },
  },
  {
    name: 'ship-wins: ship fields over the current data',
    policy: 'ship-wins',
    base: 2,
    data: { ...DATA, body: 'Admin body' },
    revisions: [rev(3, ADMIN, ['body', 'title'])],
    expected: {
      outcome: 'apply',
      data: { ...DATA, body: 'Admin body', title: 'Harbour closed' },
      deleted: false,
      rule: 'ship-wins',
    },
  },
  {
    name: 'ship-wins: update vs a foreign delete resurrects the last data',
    policy: 'ship-wins',
    base: 2,
    deleted: true,
    revisions: [rev(3, ADMIN, [], { deleted: true })],
    expected: {
      outcome: 'apply',
      data: { ...DATA, title: 'Harbour closed' },
      deleted: false,
      rule: 'ship-wins',
    },
  },
  {
    name: 'ship-wins: delete vs a foreign update deletes',
    policy: 'ship-wins',
    op: 'delete',
    base: 2,
    revisions: [rev(3, ADMIN, ['title'])],
    expected: { outcome: 'apply', data: DATA, deleted: true, rule: 'ship-wins' },
  },

  // last-write-wins.
  {
    name: 'last-write-wins: the ship edited later',
    policy: 'last-write-wins',
    base: 2,
    editedAt: LATER,
    revisions: [rev(3, ADMIN, ['title'], { at: T0 })],
    expected: {
      outcome: 'apply',
      data: { ...DATA, title: 'Harbour closed' },
      rule: 'last-write-wins',
    },
  },
  {
    name: 'last-write-wins: the foreign edit was later',
    policy: 'last-write-wins',
    base: 2,
    editedAt: EARLIER,
    revisions: [rev(3, OTHER_SHIP, ['title'], { at: T0 })],
    expected: { outcome: 'keep-master', rule: 'last-write-wins' },
  },
  {
    name: 'last-write-wins: the latest foreign revision is the one compared',
    policy: 'last-write-wins',
    base: 1,
    editedAt: T0,
    revisions: [
      rev(2, ADMIN, ['title'], { at: EARLIER }),
      rev(3, OTHER_SHIP, ['body'], { at: LATER }),
    ],
    expected: { outcome: 'keep-master', rule: 'last-write-wins' },
  },
  {
    name: 'last-write-wins: a tie goes to the greater author (ship:ship-a > master:alice)',
    policy: 'last-write-wins',
    base: 2,
    revisions: [rev(3, ADMIN, ['title'], { at: T0 })],
    expected: { outcome: 'apply', rule: 'last-write-wins' },
  },
  {
    name: 'last-write-wins: a tie goes to the greater author (ship:ship-z > ship:ship-a)',
    policy: 'last-write-wins',
    base: 2,
    revisions: [rev(3, 'ship:ship-z', ['title'], { at: T0 })],
    expected: { outcome: 'keep-master', rule: 'last-write-wins' },
  },
  {
    name: 'last-write-wins: a later delete beats an earlier foreign update',
    policy: 'last-write-wins',
    op: 'delete',
    base: 2,
    editedAt: LATER,
    revisions: [rev(3, ADMIN, ['title'])],
    expected: { outcome: 'apply', deleted: true, rule: 'last-write-wins' },
  },

  // create on an existing document.
  {
    name: 'create delivered again, same data',
    op: 'create',
    version: 1,
    fields: DATA,
    revisions: [rev(1, OWN, ['body', 'tags', 'title'])],
    expected: { outcome: 'noop', rule: 'duplicate-create' },
  },
  {
    name: 'create delivered again after own edits overwrites with the create data',
    op: 'create',
    version: 2,
    fields: { title: 'Original' },
    revisions: [rev(1, OWN, ['title']), rev(2, OWN, ['body'])],
    expected: {
      outcome: 'apply',
      data: { title: 'Original' },
      deleted: false,
      rule: 'own-revisions',
    },
  },
  {
    name: 'create over its own tombstone restores the document',
    op: 'create',
    version: 2,
    deleted: true,
    fields: DATA,
    revisions: [rev(1, OWN, ['title']), rev(2, OWN, [], { deleted: true })],
    expected: { outcome: 'apply', data: DATA, deleted: false, rule: 'own-revisions' },
  },
  {
    name: 'create of a document someone else wrote',
    op: 'create',
    version: 1,
    fields: { title: 'Mine' },
    revisions: [rev(1, OTHER_SHIP, ['title'])],
    expected: {
      outcome: 'conflict',
      conflictType: 'create-create',
      foreignAuthors: [OTHER_SHIP],
      rule: 'create-create',
    },
  },
  {
    name: 'create-create is a conflict whatever the policy',
    op: 'create',
    version: 1,
    policy: 'master-wins',
    fields: { title: 'Mine' },
    revisions: [rev(1, ADMIN, ['title'])],
    expected: { outcome: 'conflict', conflictType: 'create-create' },
  },
];

describe('decideShipChange', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const decision = decideShipChange(inputOf(c));
    expect(decision).toMatchObject(c.expected);
    if ('data' in c.expected) {
      // toMatchObject accepts extra keys; document data must match exactly.
      expect(decision.outcome === 'apply' && decision.data).toEqual(c.expected.data);
    }
  });

  it('does not modify its input', () => {
    const input = inputOf({
      name: 'merge',
      policy: 'field-merge',
      base: 2,
      fields: { body: 'x' },
      revisions: [rev(3, ADMIN, ['title'])],
      expected: { outcome: 'apply' },
    });
    const before = structuredClone(input);
    const decision = decideShipChange(input);
    expect(input).toEqual(before);
    expect(decision.outcome === 'apply' && decision.data).not.toBe(input.current?.data);
  });

  it.each<ConflictPolicy>(['manual', 'field-merge', 'master-wins', 'ship-wins', 'last-write-wins'])(
    'with policy %s, an edit on the current version is a fast-forward',
    (policy) => {
      expect(
        decideShipChange(inputOf({ name: '', policy, expected: { outcome: 'apply' } })),
      ).toMatchObject({
        outcome: 'apply',
        rule: 'fast-forward',
      });
    },
  );
});
