import { v7 as uuidv7 } from 'uuid';
import { MAX_CHANGES_PER_ENVELOPE, ShipChangesPayloadDto } from './ship-changes-payload.dto';
import { ShipChangeDto } from './ship-change.dto';
import { validateContract } from './validate-contract';

const DOCUMENT_ID = '0190b5f1-6a2e-7c3d-9e4f-5a6b7c8d9e0f';

function change(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    changeId: uuidv7(),
    seq: 1,
    op: 'update',
    type: 'article',
    documentId: DOCUMENT_ID,
    locale: 'en',
    baseVersion: 3,
    fields: { title: 'Storm warning' },
    editedAt: '2024-01-15T10:30:00.000Z',
    ...overrides,
  };
}

function errorsOf(plain: unknown): string[] {
  const result = validateContract(ShipChangeDto, plain);
  return result.ok ? [] : result.errors;
}

describe('ShipChangeDto', () => {
  it.each([
    ['create', { op: 'create', baseVersion: 0, fields: { title: 'New', body: 'Text' } }],
    ['update', { op: 'update', baseVersion: 7, fields: { title: 'Changed' } }],
    ['delete', { op: 'delete', baseVersion: 7, fields: {} }],
    ['unlocalised', { locale: '' }],
    ['region locale', { locale: 'pt-BR' }],
    ['offset time zone', { editedAt: '2024-01-15T12:30:00+02:00' }],
    ['update based on an unacknowledged create', { op: 'update', baseVersion: 0 }],
  ])('accepts a valid %s change', (_name, overrides) => {
    expect(errorsOf(change(overrides))).toEqual([]);
  });

  it.each([
    ['changeId', 'not-a-uuid', 'changeId: must be a lower-case UUIDv7'],
    ['changeId', '0190b5f1-6a2e-4c3d-9e4f-5a6b7c8d9e0f', 'changeId: must be a lower-case UUIDv7'],
    ['changeId', '0190B5F1-6A2E-7C3D-9E4F-5A6B7C8D9E0F', 'changeId: must be a lower-case UUIDv7'],
    ['seq', 0, 'seq: must be an integer ≥ 1'],
    ['seq', 1.5, 'seq: must be an integer ≥ 1'],
    ['seq', '3', 'seq: must be an integer ≥ 1'],
    ['op', 'upsert', "op: must be one of 'create', 'update', 'delete'"],
    ['type', 'Article', 'type: must be a content type name'],
    ['type', 'api::article.article', 'type: must be a content type name'],
    ['documentId', 'abc', 'documentId: must be a lower-case UUID'],
    ['locale', 'en_US', "locale: must be '' or a locale tag"],
    ['locale', `en-${'a'.repeat(40)}`, "locale: must be '' or a locale tag"],
    ['baseVersion', -1, 'baseVersion: must be an integer ≥ 0'],
    ['baseVersion', null, 'baseVersion: must be an integer ≥ 0'],
    ['fields', [], 'fields: must be a JSON object'],
    ['fields', 'title', 'fields: must be a JSON object'],
    ['editedAt', '2024-01-15', 'editedAt: must be an ISO-8601 date-time with a time zone'],
    ['editedAt', '2024-01-15T10:30:00', 'editedAt: must be an ISO-8601 date-time with a time zone'],
    [
      'editedAt',
      '2024-02-30T10:30:00Z',
      'editedAt: must be an ISO-8601 date-time with a time zone',
    ],
    ['editedAt', 1705314600000, 'editedAt: must be an ISO-8601 date-time with a time zone'],
  ])('rejects %s = %j', (field, value, message) => {
    const errors = errorsOf(change({ [field]: value }));
    expect(errors).toHaveLength(1);
    expect(errors[0].startsWith(message)).toBe(true);
  });

  it('reports a missing field by name', () => {
    const { documentId: _documentId, ...rest } = change();
    expect(errorsOf(rest)).toEqual(['documentId: must be a lower-case UUID']);
  });

  it('reports an unknown property instead of dropping it', () => {
    expect(errorsOf(change({ shipId: 'ship-a' }))).toEqual(['shipId: is not allowed']);
  });

  describe('rules across fields', () => {
    it.each([
      [{ op: 'create', baseVersion: 2, fields: { a: 1 } }, ['baseVersion: must be 0 for create']],
      [{ op: 'create', baseVersion: 0, fields: {} }, ['fields: must not be empty for create']],
      [{ op: 'update', fields: {} }, ['fields: must not be empty for update']],
      [{ op: 'delete', fields: { title: 'x' } }, ['fields: must be {} for delete']],
    ])('%j is refused', (overrides, errors) => {
      expect(errorsOf(change(overrides))).toEqual(errors);
    });
  });

  it('keeps free-form document data as received, nested values included', () => {
    const fields = {
      title: 'x',
      toString: 'a field, not a method',
      nested: { list: [1, { deep: null }], flag: false },
    };
    const result = validateContract(ShipChangeDto, change({ fields }));
    expect(result.ok && result.value.fields).toBe(fields);
  });

  it.each(['constructor', '__proto__', 'prototype'])(
    'refuses the reserved key %s anywhere in document data',
    (key) => {
      const fields = JSON.parse(`{"a":{"b":[{"${key}":1}]}}`) as Record<string, unknown>;
      expect(errorsOf(change({ fields }))).toEqual([
        `fields: must not contain the reserved key at 'a.b[0].${key}'`,
      ]);
    },
  );

  it('refuses a reserved key on the change itself without touching its prototype', () => {
    const plain = JSON.parse(
      JSON.stringify(change()).replace('{', '{"__proto__":{"polluted":true},'),
    ) as Record<string, unknown>;
    expect(errorsOf(plain)).toEqual(['__proto__: is not allowed']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('ShipChangesPayloadDto', () => {
  function payloadErrors(plain: unknown): string[] {
    const result = validateContract(ShipChangesPayloadDto, plain, 'payload');
    return result.ok ? [] : result.errors;
  }

  it('accepts a batch in seq order, gaps allowed', () => {
    expect(payloadErrors({ changes: [change({ seq: 4 }), change({ seq: 9 })] })).toEqual([]);
  });

  it('names the full path of a field error inside the batch', () => {
    const changes = [1, 2, 3, 4].map((seq) => change({ seq }));
    changes[3] = change({ seq: 4, baseVersion: -2 });
    expect(payloadErrors({ changes })).toEqual([
      'payload.changes[3].baseVersion: must be an integer ≥ 0',
    ]);
  });

  it.each([
    [
      { changes: [] },
      `payload.changes: must be an array of 1 to ${MAX_CHANGES_PER_ENVELOPE} changes`,
    ],
    [
      { changes: 'x' },
      `payload.changes: must be an array of 1 to ${MAX_CHANGES_PER_ENVELOPE} changes`,
    ],
    [{}, `payload.changes: must be an array of 1 to ${MAX_CHANGES_PER_ENVELOPE} changes`],
    [{ changes: [7] }, 'payload.changes[0]: must be an object'],
    [{ changes: [null] }, 'payload.changes[0]: must be an object'],
    [{ changes: [[change()]] }, 'payload.changes: [0] must be an object, not an array'],
  ])('refuses %j', (plain, error) => {
    expect(payloadErrors(plain)).toContain(error);
  });

  it('refuses more than the maximum batch size', () => {
    const changes = Array.from({ length: MAX_CHANGES_PER_ENVELOPE + 1 }, () => ({}));
    expect(payloadErrors({ changes })[0]).toBe(
      `payload.changes: must be an array of 1 to ${MAX_CHANGES_PER_ENVELOPE} changes`,
    );
  });

  it('refuses a batch whose seq does not increase', () => {
    expect(payloadErrors({ changes: [change({ seq: 5 }), change({ seq: 5 })] })).toEqual([
      'payload.changes: seq must increase strictly within a batch ([1].seq 5 follows [0].seq 5)',
    ]);
  });

  it('refuses unknown properties of the batch', () => {
    expect(payloadErrors({ changes: [change()], shipId: 'ship-a' })).toEqual([
      'payload.shipId: is not allowed',
    ]);
  });

  it('validates each change and hands it on as received', () => {
    const received = { changes: [change()] };
    const result = validateContract(ShipChangesPayloadDto, received);
    expect(result.ok && result.value.changes[0]).toBe(received.changes[0]);
  });
});
