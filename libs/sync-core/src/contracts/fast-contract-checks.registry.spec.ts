import fc from 'fast-check';
import { getMetadataStorage, ValidationArguments } from 'class-validator';
import { CHANGE_OUTCOME_STATUSES, ChangeOutcomeDto } from './change-outcome.dto';
import { ChangeOutcomesPayloadDto } from './change-outcomes-payload.dto';
import { RESERVED_KEYS } from './contract-instance';
import {
  REJECTION_REASON_MAX_LENGTH,
  REJECTION_REASON_PATTERN,
} from './change-rejection-reason.util';
import { fastContractCheckFor } from './fast-contract-checks.registry';
import { MasterUpdateOriginDto } from './master-update-origin.dto';
import { MasterUpdateDto } from './master-update.dto';
import { ShipChangeDto } from './ship-change.dto';
import { SHIP_CHANGE_OPS } from './ship-change-op.enum';
import { ShipChangesPayloadDto } from './ship-changes-payload.dto';
import { validateContract, validateWithDecorators } from './validate-contract';
import { findReservedKey } from './wire-field.decorators';
import {
  CONFLICT_ID_PATTERN,
  CONTENT_TYPE_PATTERN,
  LOCALE_MAX_LENGTH,
  LOCALE_PATTERN,
  MASTER_SENDER,
  SHIP_ID_PATTERN,
} from './wire-patterns.constants';

/*
 * The fast checks must never accept what the decorators refuse, and must build the same value.
 * Valid payloads and mutated ones (wrong types, missing and extra keys, reserved keys, broken
 * strings, reordered or emptied arrays…) go through both paths, which must agree exactly.
 */

type Json = Record<string, unknown>;
type ContractClass = new () => object;

// ---------------------------------------------------------------------------------------------
// Valid payloads

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
// Years from 1000: earlier ones are valid too, but the fast check leaves them to the decorators.
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
const author = fc.oneof(
  fc.stringMatching(/^master:\S{1,128}$/),
  shipId.map((id) => `ship:${id}`),
);
const MAX = Number.MAX_SAFE_INTEGER;
/** An integer ≥ 1, often 1 itself (a boundary). */
const positive = fc.oneof(fc.constant(1), fc.integer({ min: 1, max: MAX }));
const documentData = fc
  .dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 })
  .map((data) => JSON.parse(JSON.stringify(data)) as Json)
  .filter((data) => findReservedKey(data) === '');
const nonEmptyData = documentData.filter((data) => Object.keys(data).length > 0);

/** The same object with its keys in another order (the wire does not fix one). */
function shuffled(arb: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  return arb.chain((object) =>
    fc
      .shuffledSubarray(Object.keys(object), {
        minLength: Object.keys(object).length,
        maxLength: Object.keys(object).length,
      })
      .map((keys) => Object.fromEntries(keys.map((key) => [key, object[key]]))),
  );
}

/** Strictly increasing seqs, gaps allowed, up to the largest safe integer. */
function seqs(count: number): fc.Arbitrary<number[]> {
  return fc
    .tuple(
      fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 1_000 }), fc.constant(MAX - 5_000)),
      fc.array(fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 1_000 })), {
        minLength: count,
        maxLength: count,
      }),
    )
    .map(([start, gaps]) =>
      gaps.map((_, i) => start + gaps.slice(0, i).reduce((a, b) => a + b, 0)),
    );
}

const shipChange = fc
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
  }));

const shipChangesPayload = fc
  .array(shuffled(shipChange), { minLength: 1, maxLength: 5 })
  .chain((changes) =>
    seqs(changes.length).map((seq) => ({
      changes: changes.map((change, i) => ({ ...change, seq: seq[i] })),
    })),
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
      author,
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

const changeOutcomesPayload = shuffled(
  fc.record({ shipId, outcomes: fc.array(changeOutcome, { minLength: 1, maxLength: 5 }) }),
);

interface HotContract {
  cls: ContractClass;
  valid: fc.Arbitrary<Json>;
  /** The document objects a value must hand through as received. */
  documents: (value: Json) => unknown[];
}

const fieldsOf = (change: unknown): unknown => (change as Json).fields;

const HOT_CONTRACTS: HotContract[] = [
  {
    cls: ShipChangesPayloadDto,
    valid: shipChangesPayload,
    documents: (value) => (value.changes as unknown[]).map(fieldsOf),
  },
  { cls: ShipChangeDto, valid: shuffled(shipChange), documents: (value) => [value.fields] },
  { cls: MasterUpdateDto, valid: masterUpdate, documents: (value) => [value.data] },
  { cls: ChangeOutcomesPayloadDto, valid: changeOutcomesPayload, documents: () => [] },
  { cls: ChangeOutcomeDto, valid: changeOutcome, documents: () => [] },
];

// ---------------------------------------------------------------------------------------------
// Mutations

/** An own enumerable property even for `__proto__`, as JSON.parse makes it. */
function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** A deep copy keeping own `__proto__` keys and undefined values. */
function clone<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map((item: unknown) => clone(item)) as T;
  }
  if (typeof value === 'object' && value !== null) {
    const copy = {};
    for (const key of Object.keys(value)) {
      setOwn(copy, key, clone((value as Json)[key]));
    }
    return copy as T;
  }
  return value;
}

const KEYS = [
  ...new Set([
    ...['changes', 'outcomes', 'shipId', 'changeId', 'seq', 'op', 'type', 'documentId', 'locale'],
    ...['baseVersion', 'fields', 'editedAt', 'version', 'deleted', 'data', 'author', 'updatedAt'],
    ...['origin', 'status', 'conflictId', 'reason', '__proto__', 'constructor', 'prototype'],
    'openConflicts',
    ...['toString', 'hasOwnProperty', 'valueOf', 'extra', '0', ''],
  ]),
];

/** An object or array to parse where it is put, so that no two runs share it. */
class JsonText {
  constructor(readonly text: string) {}
}

/** Values close to valid ones, wrong types, edge numbers and reserved-key objects. */
const wireValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    ...[null, undefined, true, false, 0, -0, 1, 2, -1, 1.5, NaN, Infinity, '', '0', '1'],
    ...[Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, Number.MAX_SAFE_INTEGER + 2],
    ...[...SHIP_CHANGE_OPS, ...CHANGE_OUTCOME_STATUSES, 'upsert', 'en', 'EN', 'en_US', 'x-y'],
    ...['article', 'Article', 'a'.repeat(65), MASTER_SENDER, 'ship-a', 'Ship-A', 'master:alice'],
    ...['ship:master', 'ship:', 'superseded', 'superseded: text', 'Superseded', 'c-1', ' c'],
    ...[
      '2024-02-29T10:30:00Z',
      '2023-02-29T10:30:00Z',
      '2024-01-15T10:30:00',
      '0999-01-01T00:00:00Z',
    ],
    ...['2024-01-15T24:00:00Z', '2024-01-15T10:30:00+24:00', '2024-01-15 10:30:00Z'],
  ),
  fc
    .constantFrom(
      '{}',
      '[]',
      '[{}]',
      '[[]]',
      '{"a":1}',
      '{"__proto__":{}}',
      '{"a":[{"constructor":1}]}',
    )
    .map((text) => new JsonText(text)),
  uuid,
  uuidV7,
  uuid.map((id) => id.toUpperCase()),
  uuid.map((id) => `${id.slice(0, 14)}7${id.slice(15)}`),
  timestamp,
  shipId,
  fc.jsonValue({ maxDepth: 2 }),
  fc.integer(),
  fc.string({ maxLength: 8 }),
);

/** A fresh copy of a value to put in a payload (generated values may be reused while shrinking). */
function fresh(value: unknown): unknown {
  return value instanceof JsonText ? JSON.parse(value.text) : clone(value);
}

const CHARS = '0123456789abcdefABCDEFgz-_:.+ TZ7893';

type Mutation =
  /** Adds or overwrites a key, reserved ones included. */
  | { kind: 'set'; key: string; value: unknown }
  /** Adds a reserved key, anywhere (document data included when `intoDocuments`). */
  | { kind: 'reserve'; key: string; value: unknown }
  /** Puts a value in an existing slot (key or index). */
  | { kind: 'replace'; at: number; value: unknown }
  /** Puts a value close to the slot's own in it (off by one, another case, another type…). */
  | { kind: 'near'; at: number; variant: number }
  | { kind: 'edit'; at: number; position: number; char: string; how: 'put' | 'insert' | 'cut' }
  /** Deletes a key, or leaves a hole in an array. */
  | { kind: 'delete'; at: number }
  /** Array only. */
  | { kind: 'remove' | 'duplicate' | 'wrap' | 'empty'; at: number }
  | { kind: 'swap'; at: number; other: number }
  | { kind: 'push'; value: unknown };

const at = fc.nat();
const mutation: fc.Arbitrary<{ node: number; intoDocuments: boolean; change: Mutation }> =
  fc.record({
    node: fc.nat(),
    // Mostly the contract's own objects; document data is free-form, so mutations there seldom
    // matter (reserved keys aside).
    intoDocuments: fc.oneof(
      { arbitrary: fc.constant(false), weight: 2 },
      { arbitrary: fc.constant(true), weight: 1 },
    ),
    change: fc.oneof(
      {
        arbitrary: fc.record({
          kind: fc.constant('set' as const),
          key: fc.constantFrom(...KEYS),
          value: wireValue,
        }),
        weight: 2,
      },
      {
        arbitrary: fc.record({
          kind: fc.constant('reserve' as const),
          key: fc.constantFrom(...RESERVED_KEYS),
          value: wireValue,
        }),
        weight: 2,
      },
      {
        arbitrary: fc.record({ kind: fc.constant('replace' as const), at, value: wireValue }),
        weight: 2,
      },
      {
        arbitrary: fc.record({
          kind: fc.constant('replace' as const),
          at,
          value: fc.constantFrom(...SHIP_CHANGE_OPS, ...CHANGE_OUTCOME_STATUSES),
        }),
        weight: 1,
      },
      {
        arbitrary: fc.record({ kind: fc.constant('near' as const), at, variant: fc.nat() }),
        weight: 4,
      },
      {
        arbitrary: fc.record({
          kind: fc.constant('edit' as const),
          at,
          position: fc.nat(),
          char: fc.constantFrom(...CHARS),
          how: fc.constantFrom('put' as const, 'insert' as const, 'cut' as const),
        }),
        weight: 2,
      },
      { arbitrary: fc.record({ kind: fc.constant('delete' as const), at }), weight: 1 },
      {
        arbitrary: fc.record({
          kind: fc.constantFrom(
            'remove' as const,
            'duplicate' as const,
            'wrap' as const,
            'empty' as const,
          ),
          at,
        }),
        weight: 1,
      },
      { arbitrary: fc.record({ kind: fc.constant('swap' as const), at, other: at }), weight: 1 },
      { arbitrary: fc.record({ kind: fc.constant('push' as const), value: wireValue }), weight: 1 },
    ),
  });

const DOCUMENT_KEYS = new Set(['fields', 'data']);

/** The objects and arrays inside `root`, `root` first; document data only `intoDocuments`. */
function nodesOf(
  root: unknown,
  intoDocuments: boolean,
  out: (Json | unknown[])[] = [],
): (Json | unknown[])[] {
  if (typeof root === 'object' && root !== null) {
    out.push(root as Json | unknown[]);
    for (const [key, child] of Object.entries(root)) {
      if (intoDocuments || !DOCUMENT_KEYS.has(key)) {
        nodesOf(child, intoDocuments, out);
      }
    }
  }
  return out;
}

function editString(text: string, position: number, char: string, how: string): string {
  const i = text.length === 0 ? 0 : position % (text.length + (how === 'insert' ? 1 : 0));
  if (how === 'insert') return text.slice(0, i) + char + text.slice(i);
  if (how === 'cut') return text.slice(0, i) + text.slice(i + 1);
  return text.slice(0, i) + char + text.slice(i + 1);
}

function near(value: unknown, variant: number): unknown {
  const pick = (options: unknown[]): unknown => options[variant % options.length];
  if (typeof value === 'number') {
    return pick([
      value - 1,
      value + 1,
      0,
      1,
      -1,
      -value,
      value + 0.5,
      String(value),
      null,
      2 ** 53,
    ]);
  }
  if (typeof value === 'string') {
    return pick([
      value.toUpperCase(),
      '',
      ` ${value}`,
      `${value} `,
      value + value,
      value.slice(1),
      0,
    ]);
  }
  if (typeof value === 'boolean') {
    return pick([!value, String(value), 0, null]);
  }
  if (Array.isArray(value)) {
    return pick([[], {}, null, [value], value.slice(1), 'x']);
  }
  if (typeof value === 'object' && value !== null) {
    return pick([{}, [], null, 'x', { ...value, extra: 1 }, [value]]);
  }
  return pick([0, '', {}, null]);
}

function apply(node: Json | unknown[], change: Mutation): void {
  const slots = Object.keys(node);
  const slot = (i: number): string | undefined =>
    slots.length === 0 ? undefined : slots[i % slots.length];
  const record = node as Json;
  switch (change.kind) {
    case 'set':
    case 'reserve':
      // Parsed JSON never gives an array a named key (and one named `constructor` would break
      // the array methods the mutations below use).
      if (Array.isArray(node) && !/^\d+$/.test(change.key)) return;
      setOwn(node, change.key, fresh(change.value));
      return;
    case 'replace':
    case 'near':
    case 'edit':
    case 'delete': {
      const key = slot(change.at);
      if (key === undefined) return;
      if (change.kind === 'delete') delete record[key];
      else if (change.kind === 'replace') setOwn(node, key, fresh(change.value));
      else if (change.kind === 'near') setOwn(node, key, near(record[key], change.variant));
      else if (typeof record[key] === 'string') {
        record[key] = editString(record[key], change.position, change.char, change.how);
      }
      return;
    }
    default:
      if (Array.isArray(node)) applyToArray(node, change);
  }
}

function applyToArray(node: unknown[], change: Mutation): void {
  const index = (i: number): number => (node.length === 0 ? 0 : i % node.length);
  switch (change.kind) {
    case 'remove':
      node.splice(index(change.at), 1);
      return;
    case 'duplicate':
      if (node.length > 0) node.splice(index(change.at), 0, clone(node[index(change.at)]));
      return;
    case 'wrap':
      if (node.length > 0) node[index(change.at)] = [node[index(change.at)]];
      return;
    case 'empty':
      node.length = 0;
      return;
    case 'swap': {
      const [a, b] = [index(change.at), index(change.other)];
      [node[a], node[b]] = [node[b], node[a]];
      return;
    }
    case 'push':
      node.push(fresh(change.value));
      return;
    default:
      return;
  }
}

function mutated(
  payload: Json,
  mutations: { node: number; intoDocuments: boolean; change: Mutation }[],
): Json {
  const copy = clone(payload);
  for (const { node, intoDocuments, change } of mutations) {
    const nodes = nodesOf(copy, intoDocuments);
    apply(nodes[node % nodes.length], change);
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------
// The two paths side by side

interface Verdicts {
  fastAccepted: boolean;
  referenceAccepted: boolean;
}

/** Fails unless the fast check agrees with the decorators on `raw`; returns both verdicts. */
function expectSamePaths({ cls, documents }: HotContract, raw: Json): Verdicts {
  const reference = validateWithDecorators(cls, raw, 'payload');
  let fast: object | undefined;
  try {
    fast = fastContractCheckFor(cls)?.(raw);
  } catch {
    // Throwing counts as "not sure" (e.g. an array whose own `constructor` key breaks its map).
  }
  if (fast !== undefined) {
    expect(reference.ok).toBe(true);
    const value = reference.ok ? reference.value : undefined;
    expect(fast).toStrictEqual(value);
    expect(Object.getPrototypeOf(fast)).toBe(cls.prototype);
    // Same key order too, as the value is handed on (e.g. re-serialised).
    expect(JSON.stringify(fast)).toBe(JSON.stringify(value));
    const received = documents(raw);
    documents(fast as Json).forEach((document, i) => expect(document).toBe(received[i]));
  }
  expect(validateContract(cls, raw, 'payload')).toStrictEqual(reference);
  return { fastAccepted: fast !== undefined, referenceAccepted: reference.ok };
}

describe('fast contract checks', () => {
  it.each(HOT_CONTRACTS.map((contract) => [contract.cls.name, contract]))(
    '%s: accept every valid payload, with the value the decorators build',
    (_name, contract) => {
      fc.assert(
        fc.property(contract.valid, (raw) => {
          expect(expectSamePaths(contract, raw)).toEqual({
            fastAccepted: true,
            referenceAccepted: true,
          });
        }),
        { numRuns: 200 },
      );
    },
  );

  it.each(HOT_CONTRACTS.map((contract) => [contract.cls.name, contract]))(
    '%s: agree with the decorators on mutated payloads',
    (_name, contract) => {
      let refused = 0;
      fc.assert(
        fc.property(
          contract.valid,
          fc.array(mutation, { minLength: 1, maxLength: 3 }),
          (valid, mutations) => {
            const verdicts = expectSamePaths(contract, mutated(valid, mutations));
            refused += verdicts.referenceAccepted ? 0 : 1;
          },
        ),
        { numRuns: 600 },
      );
      // The mutations must break payloads often (many land in free-form data, harmlessly), or the
      // property above proves little.
      expect(refused).toBeGreaterThan(120);
    },
  );

  it('hold the same sets of rules as the decorators they stand for', () => {
    // A changed decorator must be mirrored in its fast check (*.fast-check.ts): update both, then
    // this fingerprint of the decorators.
    const storage = getMetadataStorage();
    const rulesOf = (cls: ContractClass): Record<string, string[]> => {
      const rules: Record<string, string[]> = {};
      for (const metadata of storage.getTargetValidationMetadatas(cls, '', false, false)) {
        let rule: string = metadata.type;
        if (metadata.type === 'customValidation') {
          const [constraint] = storage.getTargetValidatorConstraints(metadata.constraintCls);
          const args: ValidationArguments = {
            value: 'x',
            object: {},
            property: metadata.propertyName,
            constraints: [],
            targetName: cls.name,
          };
          let message: string;
          try {
            message = (
              constraint.instance as { defaultMessage(a: ValidationArguments): string }
            ).defaultMessage(args);
          } catch {
            message = '(depends on the value)';
          }
          rule = `${constraint.name}: ${message}`;
        }
        (rules[metadata.propertyName] ??= []).push(rule);
      }
      return Object.fromEntries(
        Object.entries(rules).map(([property, list]) => [property, list.sort()]),
      );
    };
    const uuidV7Rule = 'isWireUuidV7: must be a lower-case UUIDv7';
    const uuidRule = 'isWireUuid: must be a lower-case UUID';
    const typeRule =
      'isContentTypeName: must be a content type name (lower-case letter, then up to 63 of a-z, 0-9, -)';
    const localeRule = `isLocale: must be '' or a locale tag such as 'en' or 'pt-BR' (at most 35 characters)`;
    const timestampRule =
      'isWireTimestamp: must be an ISO-8601 date-time with a time zone (e.g. 2024-01-15T10:30:00.000Z)';
    const shipIdRule =
      "isShipId: must be a ship id (lower-case letter or digit, then up to 63 of a-z, 0-9, '.', '_', '-'; not 'master')";
    expect(rulesOf(ShipChangesPayloadDto)).toEqual({
      changes: [
        'changesArray: must be an array of 1 to 10000 changes',
        'isArrayOfObjects: (depends on the value)',
        'nestedValidation',
        'seqIncreasing: seq must increase strictly within a batch ([-1].seq undefined follows [-2].seq undefined)',
      ],
    });
    expect(rulesOf(ShipChangeDto)).toEqual({
      changeId: [uuidV7Rule],
      seq: ['isWireInt: must be an integer ≥ 1'],
      op: ["isOneOf: must be one of 'create', 'update', 'delete'"],
      type: [typeRule],
      documentId: [uuidRule],
      locale: [localeRule],
      baseVersion: [
        'baseVersionMatchesOp: must be 0 for create',
        'isWireInt: must be an integer ≥ 0',
      ],
      fields: [
        'fieldsMatchOp: must not be empty for undefined',
        'isJsonObject: must be a JSON object',
      ],
      editedAt: [timestampRule],
    });
    expect(rulesOf(MasterUpdateDto)).toEqual({
      type: [typeRule],
      documentId: [uuidRule],
      locale: [localeRule],
      version: ['isWireInt: must be an integer ≥ 1'],
      deleted: ['isBoolean: must be true or false'],
      data: ['isJsonObject: must be a JSON object'],
      author: ["isAuthor: must be 'master:<user>' or 'ship:<shipId>'"],
      updatedAt: [timestampRule],
      openConflicts: [
        'conditionalValidation',
        'isOpenConflictList: must be a list of 1 to 10000 distinct conflict ids',
      ],
      origin: ['conditionalValidation', 'isNestedObject: must be an object', 'nestedValidation'],
    });
    expect(rulesOf(MasterUpdateOriginDto)).toEqual({
      shipId: [shipIdRule],
      changeId: [uuidV7Rule],
    });
    expect(rulesOf(ChangeOutcomesPayloadDto)).toEqual({
      shipId: [shipIdRule],
      outcomes: [
        'isArrayOfObjects: (depends on the value)',
        'nestedValidation',
        'outcomesArray: must be an array of 1 to 10000 outcomes',
      ],
    });
    expect(rulesOf(ChangeOutcomeDto)).toEqual({
      changeId: [uuidV7Rule],
      seq: ['isWireInt: must be an integer ≥ 1'],
      documentId: [uuidRule],
      type: [typeRule],
      locale: [localeRule],
      status: ["isOneOf: must be one of 'applied', 'conflict', 'rejected'"],
      version: ['outcomeVersion: must be an integer ≥ 1'],
      conflictId: [
        'outcomeConflictId: must be a conflict id (1 to 128 of A-Z, a-z, 0-9, ., _, :, -)',
      ],
      reason: [
        "outcomeReason: must be '<code>' or '<code>: <text>' (code of a-z, 0-9, -; at most 1024 characters)",
      ],
    });
  });

  it('are used only for the hot contracts', () => {
    for (const { cls } of HOT_CONTRACTS) {
      expect(fastContractCheckFor(cls)).toBeDefined();
    }
    expect(fastContractCheckFor(MasterUpdateOriginDto)).toBeUndefined();
  });
});
