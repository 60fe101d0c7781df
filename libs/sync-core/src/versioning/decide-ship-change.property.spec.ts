import fc from 'fast-check';
import { MasterRevision, ShipChangeDecisionInput } from './change-decision';
import { ConflictPolicy } from './conflict-policy';
import { decideShipChange } from './decide-ship-change';

const SHIP = 'ship-a';
const OWN = 'ship:ship-a';

const policy = fc.constantFrom<ConflictPolicy>(
  'manual',
  'field-merge',
  'master-wins',
  'ship-wins',
  'last-write-wins',
);
const fieldName = fc.constantFrom('title', 'body', 'tags', 'status', 'rank');
const data = fc.dictionary(fieldName, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 });
const someData = fc.dictionary(fieldName, fc.jsonValue({ maxDepth: 2 }), {
  minKeys: 1,
  maxKeys: 5,
});
const at = fc
  .integer({ min: Date.parse('2024-01-01T00:00:00Z'), max: Date.parse('2024-01-02T00:00:00Z') })
  .map((millis) => new Date(millis).toISOString());
const author = fc.constantFrom(OWN, 'ship:ship-b', 'ship:ship-z', 'master:alice');

function revision(version: number, by: fc.Arbitrary<string>): fc.Arbitrary<MasterRevision> {
  return fc.record({
    version: fc.constant(version),
    author: by,
    changedFields: fc.uniqueArray(fieldName, { maxLength: 3 }),
    deleted: fc.boolean(),
    at,
  });
}

/** A change against a document with a complete log since its base; authors drawn from `by`. */
function scenario(by: fc.Arbitrary<string>): fc.Arbitrary<ShipChangeDecisionInput> {
  return fc
    .record({
      version: fc.integer({ min: 1, max: 6 }),
      op: fc.constantFrom('update' as const, 'delete' as const),
      policy,
      current: data,
      fields: someData,
      editedAt: at,
      updatedAt: at,
    })
    .chain((s) =>
      fc.integer({ min: 0, max: s.version }).chain((base) =>
        fc
          .tuple(...Array.from({ length: s.version - base }, (_, i) => revision(base + i + 1, by)))
          .map((revisions): ShipChangeDecisionInput => ({
            shipId: SHIP,
            change: {
              op: s.op,
              baseVersion: base,
              fields: s.op === 'delete' ? {} : s.fields,
              editedAt: s.editedAt,
            },
            current: {
              version: s.version,
              deleted: revisions.length > 0 ? revisions[revisions.length - 1].deleted : false,
              data: s.current,
              updatedAt: s.updatedAt,
            },
            revisionsAfterBase: revisions,
            policy: s.policy,
          })),
      ),
    );
}

describe('decideShipChange (properties)', () => {
  it('is deterministic, whatever order the revisions come in', () => {
    fc.assert(
      fc.property(scenario(author), (input) => {
        const shuffled = { ...input, revisionsAfterBase: [...input.revisionsAfterBase].reverse() };
        expect(decideShipChange(shuffled)).toEqual(decideShipChange(input));
        expect(decideShipChange(structuredClone(input))).toEqual(decideShipChange(input));
      }),
      { numRuns: 500 },
    );
  });

  it('always applies a fast-forward (except a delete of what is already deleted)', () => {
    fc.assert(
      fc.property(
        scenario(author).filter(
          (input) =>
            input.change.baseVersion === input.current?.version &&
            !(input.change.op === 'delete' && input.current.deleted),
        ),
        (input) => {
          const decision = decideShipChange(input);
          expect(decision).toMatchObject({ outcome: 'apply', rule: 'fast-forward' });
          expect(decision.outcome === 'apply' && decision.deleted).toBe(
            input.change.op === 'delete',
          );
        },
      ),
    );
  });

  it('never reports a conflict when every revision since the base is its own', () => {
    fc.assert(
      fc.property(scenario(fc.constant(OWN)), (input) => {
        const decision = decideShipChange(input);
        expect(['apply', 'noop']).toContain(decision.outcome);
      }),
      { numRuns: 500 },
    );
  });

  it('applies updates with all the ship fields, and conflicts only over foreign revisions', () => {
    fc.assert(
      fc.property(scenario(author), (input) => {
        const decision = decideShipChange(input);
        if (decision.outcome === 'apply' && !decision.deleted) {
          // An applied update always carries the ship's fields.
          for (const [field, value] of Object.entries(input.change.fields)) {
            expect(decision.data[field]).toEqual(value);
          }
        }
        if (decision.outcome === 'conflict') {
          expect(input.revisionsAfterBase.some((revision) => revision.author !== OWN)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
