import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { ChangeOutcomesPayloadDto } from './change-outcomes-payload.dto';
import { HeartbeatDto } from './heartbeat.dto';
import { MasterUpdateDto } from './master-update.dto';
import { MAX_CHANGES_PER_ENVELOPE, ShipChangesPayloadDto } from './ship-changes-payload.dto';
import { validateContract } from './validate-contract';

/*
 * The hot wire contracts as tables: what each accepts, and for what it refuses, the exact lines a
 * dead letter stores.
 */

type Json = Record<string, unknown>;

const TIMESTAMP_MESSAGE =
  'must be an ISO-8601 date-time with a time zone (e.g. 2024-01-15T10:30:00.000Z)';

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

function errorsOf(contract: Parameters<typeof validateContract>[0], raw: unknown): string[] {
  const result = validateContract(contract, raw, 'payload');
  return result.ok ? [] : result.errors;
}

describe('ShipChangesPayloadDto', () => {
  it('accepts creates, updates and deletes, and hands the received batch on', () => {
    const raw = batch(100);
    (raw.changes as Json[])[0] = change(1, { op: 'create', baseVersion: 0, fields: { n: 1 } });
    (raw.changes as Json[])[1] = change(2, { op: 'delete', fields: {} });
    const result = validateContract(ShipChangesPayloadDto, raw, 'payload');
    expect(result.ok && result.value).toBe(raw);
  });

  it('accepts the largest batch and refuses one more', () => {
    expect(errorsOf(ShipChangesPayloadDto, batch(MAX_CHANGES_PER_ENVELOPE))).toEqual([]);
    expect(errorsOf(ShipChangesPayloadDto, batch(MAX_CHANGES_PER_ENVELOPE + 1))).toEqual([
      `payload.changes: must be an array of 1 to ${MAX_CHANGES_PER_ENVELOPE} changes`,
    ]);
  });

  const holed: unknown[] = new Array(3);
  holed[0] = change(1);
  holed[2] = change(3);

  it.each<[string, unknown[], string[]]>([
    [
      'a repeated seq',
      [change(5), change(5)],
      ['payload.changes: seq must increase strictly within a batch ([1].seq 5 follows [0].seq 5)'],
    ],
    [
      'a decreasing seq',
      [change(5), change(4)],
      ['payload.changes: seq must increase strictly within a batch ([1].seq 4 follows [0].seq 5)'],
    ],
    ['seq 0', [change(0)], ['payload.changes[0].seq: must be an integer ≥ 1']],
    [
      'seq past the safe integers',
      [change(2 ** 53)],
      ['payload.changes[0].seq: must be an integer ≥ 1'],
    ],
    ['a nested array', [[change(1)]], ['payload.changes: [0] must be an object, not an array']],
    ['a primitive', [change(1), 7], ['payload.changes[1]: must be an object']],
    ['null', [null], ['payload.changes[0]: must be an object']],
    ['a hole', holed, ['payload.changes[1]: must be an object']],
    [
      'a create on a base version',
      [change(1, { op: 'create', baseVersion: 2 })],
      ['payload.changes[0].baseVersion: must be 0 for create'],
    ],
    [
      'a create on a negative base version, without fields',
      [change(1, { op: 'create', baseVersion: -1, fields: {} })],
      [
        'payload.changes[0].baseVersion: must be an integer ≥ 0; must be 0 for create',
        'payload.changes[0].fields: must not be empty for create',
      ],
    ],
    [
      'an empty update',
      [change(1, { fields: {} })],
      ['payload.changes[0].fields: must not be empty for update'],
    ],
    [
      'a delete with fields',
      [change(1, { op: 'delete' })],
      ['payload.changes[0].fields: must be {} for delete'],
    ],
    [
      'an unknown op with empty fields',
      [change(1, { op: 'upsert', fields: {} })],
      [
        "payload.changes[0].op: must be one of 'create', 'update', 'delete'",
        'payload.changes[0].fields: must not be empty for upsert',
      ],
    ],
    [
      'an upper-case id',
      [change(1, { changeId: uuidv7().toUpperCase() })],
      ['payload.changes[0].changeId: must be a lower-case UUIDv7'],
    ],
    [
      'a UUIDv4 change id',
      [change(1, { changeId: uuidv4() })],
      ['payload.changes[0].changeId: must be a lower-case UUIDv7'],
    ],
    [
      'a local time',
      [change(1, { editedAt: '2024-01-15T10:30:00' })],
      [`payload.changes[0].editedAt: ${TIMESTAMP_MESSAGE}`],
    ],
    [
      '30 February',
      [change(1, { editedAt: '2024-02-30T10:30:00Z' })],
      [`payload.changes[0].editedAt: ${TIMESTAMP_MESSAGE}`],
    ],
    [
      'a year before 1000',
      [change(1, { editedAt: '0999-01-01T00:00:00Z' })],
      [`payload.changes[0].editedAt: ${TIMESTAMP_MESSAGE}`],
    ],
    [
      'a bad locale',
      [change(1, { locale: 'en_US' })],
      [
        "payload.changes[0].locale: must be '' or a locale tag such as 'en' or 'pt-BR' (at most 35 characters)",
      ],
    ],
    [
      'an extra property',
      [change(1, { shipId: 'ship-a' })],
      ['payload.changes[0].shipId: is not allowed'],
    ],
    [
      'a property named like an Object.prototype member',
      [change(1, { hasOwnProperty: 1 })],
      ['payload.changes[0].hasOwnProperty: is not allowed'],
    ],
    [
      'a missing property',
      [Object.fromEntries(Object.entries(change(1)).filter(([key]) => key !== 'changeId'))],
      ['payload.changes[0].changeId: must be a lower-case UUIDv7'],
    ],
    [
      'an undefined property',
      [change(1, { editedAt: undefined })],
      [`payload.changes[0].editedAt: ${TIMESTAMP_MESSAGE}`],
    ],
  ])('refuses %s', (_name, changes, errors) => {
    expect(errorsOf(ShipChangesPayloadDto, { changes })).toEqual(errors);
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses the reserved key %s on the batch, a change or its fields, polluting nothing',
    (key) => {
      const text = JSON.stringify(batch(2));
      const onBatch = JSON.parse(text.replace('{', `{"${key}":{"polluted":true},`)) as Json;
      const onChange = JSON.parse(text.replace('[{', `[{"${key}":1,`)) as Json;
      const inFields = JSON.parse(
        text.replace('"fields":{', `"fields":{"a":[{"${key}":{}}],`),
      ) as Json;
      expect(errorsOf(ShipChangesPayloadDto, onBatch)).toEqual([`payload.${key}: is not allowed`]);
      expect(errorsOf(ShipChangesPayloadDto, onChange)).toEqual([
        `payload.changes[0].${key}: is not allowed`,
      ]);
      expect(errorsOf(ShipChangesPayloadDto, inFields)).toEqual([
        `payload.changes[0].fields: must not contain the reserved key at 'a[0].${key}'`,
      ]);
      expect(({} as Json).polluted).toBeUndefined();
    },
  );
});

describe('MasterUpdateDto', () => {
  function update(overrides: Json = {}): Json {
    return {
      type: 'article',
      documentId: uuidv4(),
      locale: 'de',
      version: 7,
      deleted: false,
      data: { title: 'Harbour closed', tags: ['port'], toString: 'a field' },
      author: 'ship:ship-a',
      updatedAt: '2024-01-15T10:30:00.000+01:00',
      openConflicts: ['c-1', '0190b5f1-6a2e-7c3d-8e4f-5a6b7c8d9e11'],
      origin: { shipId: 'ship-a', changeId: uuidv7() },
      ...overrides,
    };
  }

  function nested(depth: number): Json {
    let value: Json = { leaf: true };
    for (let i = 1; i < depth; i += 1) value = { child: value };
    return value;
  }

  it.each([
    ['a version from a ship change', {}],
    ['without origin', { origin: undefined }],
    ['without open conflicts', { openConflicts: undefined }],
    ['a deletion marker', { deleted: true, data: {} }],
    ['a master edit', { author: 'master:alice@example.com', origin: undefined }],
    ['data nested deep', { data: nested(500) }],
  ])('accepts %s, as received', (_name, overrides) => {
    const raw = update(overrides);
    const result = validateContract(MasterUpdateDto, raw);
    expect(result.ok && result.value).toBe(raw);
  });

  it.each<[string, Json, string[]]>([
    ['origin null', { origin: null }, ['payload.origin: must be an object']],
    ['origin an array', { origin: [] }, ['payload.origin: must be an object']],
    [
      'origin from the master',
      { origin: { shipId: 'master', changeId: uuidv7() } },
      [
        "payload.origin.shipId: must be a ship id (lower-case letter or digit, then up to 63 of a-z, 0-9, '.', '_', '-'; not 'master')",
      ],
    ],
    [
      'origin with an extra key',
      { origin: { shipId: 'ship-a', changeId: uuidv7(), at: 1 } },
      ['payload.origin.at: is not allowed'],
    ],
    [
      'a repeated open conflict',
      { openConflicts: ['c-1', 'c-1'] },
      ['payload.openConflicts: must be a list of 1 to 10000 distinct conflict ids'],
    ],
    [
      'an open conflict id with a space',
      { openConflicts: ['c 1'] },
      ['payload.openConflicts: must be a list of 1 to 10000 distinct conflict ids'],
    ],
    [
      'no open conflicts listed',
      { openConflicts: [] },
      ['payload.openConflicts: must be a list of 1 to 10000 distinct conflict ids'],
    ],
    ['deleted as a string', { deleted: 'false' }, ['payload.deleted: must be true or false']],
    ['data an array', { data: [] }, ['payload.data: must be a JSON object']],
    [
      'a ship author named master',
      { author: 'ship:master' },
      ["payload.author: must be 'master:<user>' or 'ship:<shipId>'"],
    ],
  ])('refuses %s', (_name, overrides, errors) => {
    expect(errorsOf(MasterUpdateDto, update(overrides))).toEqual(errors);
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses the reserved key %s in data or origin, naming where',
    (key) => {
      const text = JSON.stringify(update());
      const inData = text.replace('"data":{', `"data":{"a":{"b":[{"${key}":1}]},`);
      const inOrigin = text.replace('"origin":{', `"origin":{"${key}":{},`);
      expect(errorsOf(MasterUpdateDto, JSON.parse(inData))).toEqual([
        `payload.data: must not contain the reserved key at 'a.b[0].${key}'`,
      ]);
      expect(errorsOf(MasterUpdateDto, JSON.parse(inOrigin))).toEqual([
        `payload.origin.${key}: is not allowed`,
      ]);
    },
  );
});

describe('ChangeOutcomesPayloadDto', () => {
  function outcome(overrides: Json = {}): Json {
    return {
      changeId: uuidv7(),
      seq: 12,
      documentId: uuidv4(),
      type: 'article',
      locale: 'en',
      status: 'applied',
      version: 5,
      ...overrides,
    };
  }
  const payload = (...outcomes: unknown[]): Json => ({ shipId: 'ship-a', outcomes });
  const REASON_MESSAGE =
    "must be '<code>' or '<code>: <text>' (code of a-z, 0-9, -; at most 1024 characters)";

  it('accepts each status with its own field', () => {
    expect(
      errorsOf(
        ChangeOutcomesPayloadDto,
        payload(
          outcome(),
          outcome({ status: 'conflict', version: undefined, conflictId: 'c-42' }),
          outcome({ status: 'rejected', reason: 'superseded: master-wins policy', version: 9 }),
          outcome({ status: 'rejected', reason: 'unknown-document', version: undefined }),
          outcome({ status: 'rejected', reason: `invalid-data: ${'x'.repeat(1_000)}` }),
        ),
      ),
    ).toEqual([]);
  });

  it.each<[string, Json, string]>([
    [
      'applied without version',
      { version: undefined },
      "version: is required when status is 'applied'",
    ],
    [
      'conflict without conflict id',
      { status: 'conflict' },
      "conflictId: is required when status is 'conflict'",
    ],
    [
      'rejected without reason',
      { status: 'rejected' },
      "reason: is required when status is 'rejected'",
    ],
    ['version 0', { version: 0 }, 'version: must be an integer ≥ 1'],
    [
      'a conflict id with a space',
      { status: 'conflict', conflictId: 'c 42' },
      'conflictId: must be a conflict id (1 to 128 of A-Z, a-z, 0-9, ., _, :, -)',
    ],
    ['a bad reason next to a valid status', { reason: 'Superseded' }, `reason: ${REASON_MESSAGE}`],
    [
      'a reason over 1024 UTF-16 code units',
      { status: 'rejected', reason: `superseded: ${'😀'.repeat(507)}` },
      `reason: ${REASON_MESSAGE}`,
    ],
    [
      'an unknown status',
      { status: 'done' },
      "status: must be one of 'applied', 'conflict', 'rejected'",
    ],
    ['an unknown property', { shipId: 'ship-a' }, 'shipId: is not allowed'],
  ])('refuses %s', (_name, overrides, error) => {
    expect(errorsOf(ChangeOutcomesPayloadDto, payload(outcome(overrides)))).toEqual([
      `payload.outcomes[0].${error}`,
    ]);
  });

  it.each<[string, Json, string[]]>([
    ['no outcomes', payload(), ['payload.outcomes: must be an array of 1 to 10000 outcomes']],
    [
      'a master recipient',
      { ...payload(outcome()), shipId: 'master' },
      [
        "payload.shipId: must be a ship id (lower-case letter or digit, then up to 63 of a-z, 0-9, '.', '_', '-'; not 'master')",
      ],
    ],
    [
      'an outcome that is an array',
      payload([outcome()]),
      ['payload.outcomes: [0] must be an object, not an array'],
    ],
  ])('refuses a batch with %s', (_name, raw, errors) => {
    expect(errorsOf(ChangeOutcomesPayloadDto, raw)).toEqual(errors);
  });
});

describe('HeartbeatDto', () => {
  const heartbeat = (overrides: Json = {}): Json => ({
    shipId: 'ship-a',
    sentAt: '2024-01-15T10:30:00.000Z',
    sequence: 7,
    appVersion: '1.4.2',
    queueDepth: 12,
    awaitingOutcome: 3,
    failedCount: 1,
    oldestPendingAgeMs: null,
    appliedPosition: { '0': '1042' },
    online: true,
    ...overrides,
  });

  it('accepts an app version of 64 UTF-16 code units and refuses 65', () => {
    expect(errorsOf(HeartbeatDto, heartbeat({ appVersion: '😀'.repeat(32) }))).toEqual([]);
    expect(errorsOf(HeartbeatDto, heartbeat({ appVersion: `${'😀'.repeat(32)}x` }))).toEqual([
      'payload.appVersion: must be a string of 1 to 64 characters',
    ]);
  });

  it.each<[string, Json, string]>([
    ['sequence 0', { sequence: 0 }, 'sequence: must be an integer ≥ 1'],
    ['sequence null', { sequence: null }, 'sequence: must be an integer ≥ 1'],
    ['awaitingOutcome -1', { awaitingOutcome: -1 }, 'awaitingOutcome: must be an integer ≥ 0'],
    [
      'a partition that is not a number',
      { appliedPosition: { p0: '1' } },
      "appliedPosition: must map partition numbers to next offsets, both as decimal strings (e.g. { '0': '42' })",
    ],
  ])('refuses %s', (_name, overrides, error) => {
    expect(errorsOf(HeartbeatDto, heartbeat(overrides))).toEqual([`payload.${error}`]);
  });
});
