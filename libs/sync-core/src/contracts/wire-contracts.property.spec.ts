import type { TSchema } from '@sinclair/typebox';
import fc from 'fast-check';
import { CHANGE_OUTCOME_STATUSES, ChangeOutcomeDto } from './change-outcome.dto';
import { ChangeOutcomesPayloadDto } from './change-outcomes-payload.dto';
import {
  REJECTION_REASON_MAX_LENGTH,
  REJECTION_REASON_PATTERN,
} from './change-rejection-reason.util';
import { MasterUpdateDto } from './master-update.dto';
import { findReservedKey } from './reserved-key-scan.util';
import { SHIP_CHANGE_OPS } from './ship-change-op.enum';
import { ShipChangeDto } from './ship-change.dto';
import { ShipChangesPayloadDto } from './ship-changes-payload.dto';
import { validateContract } from './validate-contract';
import { checkContract, explainContract } from './wire-contract.compiler';
import {
  CONFLICT_ID_PATTERN,
  CONTENT_TYPE_PATTERN,
  LOCALE_MAX_LENGTH,
  LOCALE_PATTERN,
  MASTER_SENDER,
  SHIP_ID_PATTERN,
} from './wire-patterns.constants';

/*
 * Properties of the hot contracts over generated payloads: every valid one is accepted as
 * received; one broken field is always refused at that field; and whatever the input, the
 * compiled check and the error messages agree (a refusal always says why, an acceptance never).
 */

type Json = Record<string, unknown>;

const uuid = fc.uuid();
const uuidV7 = fc.uuid({ version: 7 });
const typeName = fc.stringMatching(CONTENT_TYPE_PATTERN);
const locale = fc.oneof(
  fc.constantFrom('', 'en', 'pt-BR', 'zh-Hant-TW'),
  fc.stringMatching(LOCALE_PATTERN).filter((tag) => tag.length <= LOCALE_MAX_LENGTH),
);
const shipId = fc.stringMatching(SHIP_ID_PATTERN).filter((id) => id !== MASTER_SENDER);
const twoDigits = (max: number): fc.Arbitrary<string> =>
  fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
const timestamp = fc
  .record({
    date: fc.date({
      min: new Date('1000-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    fraction: fc.oneof(fc.constant(''), fc.stringMatching(/^\.\d{1,9}$/)),
    zone: fc.oneof(
      fc.constant('Z'),
      fc
        .tuple(fc.constantFrom('+', '-'), twoDigits(23), twoDigits(59))
        .map(([sign, hours, minutes]) => `${sign}${hours}:${minutes}`),
    ),
  })
  .map(({ date, fraction, zone }) => `${date.toISOString().slice(0, 19)}${fraction}${zone}`);
const MAX = Number.MAX_SAFE_INTEGER;
const positive = fc.oneof(fc.constant(1), fc.integer({ min: 1, max: MAX }));
const documentData = fc
  .dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 })
  .map((data) => JSON.parse(JSON.stringify(data)) as Json)
  .filter((data) => findReservedKey(data) === '');
const nonEmptyData = documentData.filter((data) => Object.keys(data).length > 0);

/** The same object with its keys in another order (the wire does not fix one). */
function shuffled(arb: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  return arb.chain((object) => {
    const keys = Object.keys(object);
    return fc
      .shuffledSubarray(keys, { minLength: keys.length, maxLength: keys.length })
      .map((order) => Object.fromEntries(order.map((key) => [key, object[key]])));
  });
}

const shipChange = shuffled(
  fc
    .record({
      changeId: uuidV7,
      seq: positive,
      op: fc.constantFrom(...SHIP_CHANGE_OPS),
      type: typeName,
      documentId: uuid,
      locale,
      baseVersion: fc.oneof(fc.constantFrom(0, 1), fc.nat(), fc.constant(MAX)),
      fields: nonEmptyData,
      editedAt: timestamp,
    })
    .map((change) => ({
      ...change,
      baseVersion: change.op === 'create' ? 0 : change.baseVersion,
      fields: change.op === 'delete' ? {} : change.fields,
    })),
);

const shipChangesPayload = fc.array(shipChange, { minLength: 1, maxLength: 5 }).chain((changes) =>
  fc
    .array(fc.integer({ min: 1, max: 1_000 }), {
      minLength: changes.length,
      maxLength: changes.length,
    })
    .map((gaps) => {
      let seq = 0;
      return { changes: changes.map((change, i) => ({ ...change, seq: (seq += gaps[i]) })) };
    }),
);

const masterUpdate = shuffled(
  fc.record(
    {
      type: typeName,
      documentId: uuid,
      locale,
      version: positive,
      deleted: fc.boolean(),
      data: documentData,
      author: fc.oneof(
        fc.stringMatching(/^master:\S{1,128}$/),
        shipId.map((id) => `ship:${id}`),
      ),
      updatedAt: timestamp,
      openConflicts: fc.uniqueArray(fc.stringMatching(CONFLICT_ID_PATTERN), {
        minLength: 1,
        maxLength: 3,
      }),
      origin: fc.record({ shipId, changeId: uuidV7 }),
    },
    {
      requiredKeys: [
        'type',
        'documentId',
        'locale',
        'version',
        'deleted',
        'data',
        'author',
        'updatedAt',
      ],
    },
  ),
);

const changeOutcome = shuffled(
  fc
    .record(
      {
        changeId: uuidV7,
        seq: positive,
        documentId: uuid,
        type: typeName,
        locale,
        status: fc.constantFrom(...CHANGE_OUTCOME_STATUSES),
        version: positive,
        conflictId: fc.stringMatching(CONFLICT_ID_PATTERN),
        reason: fc
          .stringMatching(REJECTION_REASON_PATTERN)
          .filter((reason) => reason.length <= REJECTION_REASON_MAX_LENGTH),
      },
      { requiredKeys: ['changeId', 'seq', 'documentId', 'type', 'locale', 'status'] },
    )
    .filter(
      (outcome) =>
        (outcome.status !== 'applied' || outcome.version !== undefined) &&
        (outcome.status !== 'conflict' || outcome.conflictId !== undefined) &&
        (outcome.status !== 'rejected' || outcome.reason !== undefined),
    ),
);

const changeOutcomesPayload = fc.record({
  shipId,
  outcomes: fc.array(changeOutcome, { minLength: 1, maxLength: 5 }),
});

interface HotContract {
  name: string;
  schema: TSchema;
  valid: fc.Arbitrary<Json>;
}

const HOT_CONTRACTS: HotContract[] = [
  { name: 'ShipChangesPayloadDto', schema: ShipChangesPayloadDto, valid: shipChangesPayload },
  { name: 'ShipChangeDto', schema: ShipChangeDto, valid: shipChange },
  { name: 'MasterUpdateDto', schema: MasterUpdateDto, valid: masterUpdate },
  {
    name: 'ChangeOutcomesPayloadDto',
    schema: ChangeOutcomesPayloadDto,
    valid: changeOutcomesPayload,
  },
  { name: 'ChangeOutcomeDto', schema: ChangeOutcomeDto, valid: changeOutcome },
];

/** Values no field of these contracts takes (document data aside, which takes any object). */
const notAnyField = fc.constantFrom<unknown>(null, false, -1, 1.5, NaN, 2 ** 53, ' x', [], [[]]);

/** The contract objects inside `root` with their display paths, document data left out. */
function fieldsOf(root: unknown, path: string, out: { path: string; holder: Json; key: string }[]) {
  if (Array.isArray(root)) {
    root.forEach((item, i) => fieldsOf(item, `${path}[${i}]`, out));
  } else if (typeof root === 'object' && root !== null) {
    for (const [key, value] of Object.entries(root)) {
      out.push({ path: `${path}.${key}`, holder: root as Json, key });
      if (key !== 'fields' && key !== 'data') fieldsOf(value, `${path}.${key}`, out);
    }
  }
  return out;
}

describe('hot wire contracts', () => {
  it.each(HOT_CONTRACTS.map((contract) => [contract.name, contract] as const))(
    '%s: accepts every valid payload, handing on the received object',
    (_name, { schema, valid }) => {
      fc.assert(
        fc.property(valid, (raw) => {
          const result = validateContract(schema, raw, 'payload');
          expect(result).toEqual({ ok: true, value: raw });
          expect(result.ok && result.value).toBe(raw);
        }),
        { numRuns: 200 },
      );
    },
  );

  it.each(HOT_CONTRACTS.map((contract) => [contract.name, contract] as const))(
    '%s: refuses a payload with one field broken, naming that field',
    (_name, { schema, valid }) => {
      fc.assert(
        fc.property(valid, fc.nat(), notAnyField, (generated, pick, broken) => {
          // A copy: fast-check reuses generated values while shrinking.
          const raw = structuredClone(generated);
          const fields = fieldsOf(raw, 'payload', []);
          const { path, holder, key } = fields[pick % fields.length];
          const fieldIsData = key === 'fields' || key === 'data';
          if (
            fieldIsData &&
            typeof broken === 'object' &&
            broken !== null &&
            !Array.isArray(broken)
          ) {
            return;
          }
          // `deleted` takes either boolean.
          if (typeof holder[key] === 'boolean' && typeof broken === 'boolean') return;
          holder[key] = broken;
          const result = validateContract(schema, raw, 'payload');
          expect(result.ok).toBe(false);
          const errors = result.ok ? [] : result.errors;
          // The field itself, or the list holding it when it was a list's element.
          const list = path.replace(/\[\d+\]$/, '');
          expect(
            errors.some((line) => line.startsWith(`${path}: `) || line.startsWith(`${list}: `)),
          ).toBe(true);
        }),
        { numRuns: 200 },
      );
    },
  );

  it.each(HOT_CONTRACTS.map((contract) => [contract.name, contract] as const))(
    '%s: the check and the messages agree on any JSON put anywhere',
    (_name, { schema, valid }) => {
      const anyJson = fc.oneof(notAnyField, fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
      let refused = 0;
      fc.assert(
        fc.property(
          valid,
          fc.array(fc.tuple(fc.nat(), fc.constantFrom('set', 'delete', 'add'), anyJson), {
            minLength: 1,
            maxLength: 3,
          }),
          (generated, mutations) => {
            const raw = structuredClone(generated);
            for (const [pick, how, value] of mutations) {
              const fields = fieldsOf(raw, 'payload', []);
              if (fields.length === 0) continue;
              const { holder, key } = fields[pick % fields.length];
              if (how === 'delete') delete holder[key];
              else if (how === 'add')
                holder[['extra', 'constructor', 'toString'][pick % 3]] = value;
              else holder[key] = value;
            }
            const accepted = checkContract(schema, raw);
            const reasons = explainContract(schema, raw) ?? [];
            expect(reasons.length === 0).toBe(accepted);
            const result = validateContract(schema, raw, 'payload');
            expect(result.ok).toBe(accepted);
            if (!result.ok) {
              refused += 1;
              expect(result.errors.length).toBeGreaterThan(0);
              for (const line of result.errors) {
                expect(line.startsWith('payload')).toBe(true);
                expect(line).toMatch(/: \S/);
              }
              expect(result.errors).not.toContain('payload: is not valid');
            }
          },
        ),
        { numRuns: 300 },
      );
      expect(refused).toBeGreaterThan(100);
    },
  );
});
