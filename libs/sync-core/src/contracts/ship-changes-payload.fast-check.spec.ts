import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { fastShipChange } from './ship-change.fast-check';
import { ShipChangeDto } from './ship-change.dto';
import { fastShipChangesPayload } from './ship-changes-payload.fast-check';
import { MAX_CHANGES_PER_ENVELOPE, ShipChangesPayloadDto } from './ship-changes-payload.dto';
import { validateContract, validateWithDecorators } from './validate-contract';

type Json = Record<string, unknown>;

function change(seq: number, overrides: Json = {}): Json {
  return {
    changeId: uuidv7(),
    seq,
    op: 'update',
    type: 'article',
    documentId: uuidv4(),
    locale: 'en',
    baseVersion: 3,
    fields: { title: `edit ${seq}` },
    editedAt: '2024-01-15T10:30:00.000Z',
    ...overrides,
  };
}

function batch(count: number): Json {
  return { changes: Array.from({ length: count }, (_, i) => change(i + 1)) };
}

/** What the fast check says, after checking that validateContract says what the decorators say. */
function fastVerdict(raw: Json): ShipChangesPayloadDto | undefined {
  const reference = validateWithDecorators(ShipChangesPayloadDto, raw, 'payload');
  expect(validateContract(ShipChangesPayloadDto, raw, 'payload')).toStrictEqual(reference);
  const fast = fastShipChangesPayload(raw);
  if (fast !== undefined) {
    expect(reference.ok && reference.value).toStrictEqual(fast);
  }
  return fast;
}

describe('fastShipChangesPayload', () => {
  it('builds what the decorators build: instances, received order, fields as received', () => {
    const raw = JSON.parse(JSON.stringify(batch(100))) as { changes: Json[] };
    raw.changes[0] = change(1, { op: 'create', baseVersion: 0, fields: { title: 'New', n: 1 } });
    raw.changes[1] = change(2, { op: 'delete', fields: {} });
    const fast = fastVerdict(raw);
    expect(fast).toBeInstanceOf(ShipChangesPayloadDto);
    fast?.changes.forEach((built, i) => {
      expect(built).toBeInstanceOf(ShipChangeDto);
      expect(built.fields).toBe(raw.changes[i].fields);
      expect(Object.keys(built)).toEqual(Object.keys(raw.changes[i]));
    });
  });

  it('accepts the largest batch and leaves one more to the decorators', () => {
    expect(fastVerdict(batch(MAX_CHANGES_PER_ENVELOPE))).toBeDefined();
    expect(fastVerdict(batch(MAX_CHANGES_PER_ENVELOPE + 1))).toBeUndefined();
    expect(fastVerdict({ changes: [] })).toBeUndefined();
  });

  it.each([
    ['a repeated seq', [change(5), change(5)]],
    ['a decreasing seq', [change(5), change(4)]],
    ['seq 0', [change(0)]],
    ['a nested array', [[change(1)]]],
    ['a primitive', [change(1), 7]],
    ['null', [null]],
    ['a create on a base version', [change(1, { op: 'create', baseVersion: 2 })]],
    ['an empty update', [change(1, { fields: {} })]],
    ['a delete with fields', [change(1, { op: 'delete' })]],
    ['an unknown op', [change(1, { op: 'upsert' })]],
    ['an upper-case id', [change(1, { changeId: uuidv7().toUpperCase() })]],
    ['a UUIDv4 change id', [change(1, { changeId: uuidv4() })]],
    ['a local time', [change(1, { editedAt: '2024-01-15T10:30:00' })]],
    ['30 February', [change(1, { editedAt: '2024-02-30T10:30:00Z' })]],
    ['a bad locale', [change(1, { locale: 'en_US' })]],
    ['an extra property', [change(1, { shipId: 'ship-a' })]],
    ['a missing property', [Object.fromEntries(Object.entries(change(1)).slice(1))]],
    ['an undefined property', [change(1, { editedAt: undefined })]],
  ])('leaves %s to the decorators, with their error', (_name, changes) => {
    expect(fastVerdict({ changes })).toBeUndefined();
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'leaves the reserved key %s to the decorators, on the batch, a change or its fields',
    (key) => {
      const text = JSON.stringify(batch(2));
      const onBatch = JSON.parse(text.replace('{', `{"${key}":{"polluted":true},`)) as Json;
      const onChange = JSON.parse(text.replace('[{', `[{"${key}":1,`)) as Json;
      const inFields = JSON.parse(
        text.replace('"fields":{', `"fields":{"a":[{"${key}":{}}],`),
      ) as Json;
      for (const raw of [onBatch, onChange, inFields]) {
        expect(fastVerdict(raw)).toBeUndefined();
      }
      expect(({} as Json).polluted).toBeUndefined();
    },
  );

  it('leaves odd input the decorators may still take to them', () => {
    const holed: unknown[] = new Array(3);
    holed[0] = change(1);
    holed[2] = change(3);
    const sparse = { changes: holed };
    const inheritedKey = { changes: [change(1, { hasOwnProperty: 1 })] };
    const oldYear = { changes: [change(1, { editedAt: '0999-01-01T00:00:00Z' })] };
    for (const raw of [sparse, inheritedKey, oldYear]) {
      expect(fastVerdict(raw)).toBeUndefined();
    }
  });

  it('leaves input that throws to the decorators, whose refusal names the reason', () => {
    const changes = batch(2).changes as unknown[] & { constructor?: unknown };
    changes.constructor = 'not a constructor';
    expect(() => fastShipChangesPayload({ changes })).toThrow(TypeError);
    const result = validateContract(ShipChangesPayloadDto, { changes }, 'payload');
    expect(result.ok ? [] : result.errors).toEqual([
      'payload: could not be validated (object.constructor[Symbol.species] is not a constructor)',
    ]);
    expect(validateWithDecorators(ShipChangesPayloadDto, { changes }, 'payload')).toStrictEqual(
      result,
    );
  });
});

describe('fastShipChange', () => {
  it('checks one change on its own, as the ship does before sending it', () => {
    const raw = change(1);
    const reference = validateWithDecorators(ShipChangeDto, raw);
    expect(reference.ok && reference.value).toStrictEqual(fastShipChange(raw));
    expect(fastShipChange({ ...raw, seq: -1 })).toBeUndefined();
  });
});
