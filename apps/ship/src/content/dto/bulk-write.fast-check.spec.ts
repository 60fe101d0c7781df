import type { ArgumentMetadata } from '@nestjs/common';
import { createValidationPipe, InputValidationException } from '@offline-sync/sync-core';
import { fastCheckVerdict } from '@offline-sync/sync-core/testing';
import fc from 'fast-check';
import { BulkWriteDto, BulkWriteRequestDto, MAX_BULK_WRITES } from './bulk-write.dto';
import { fastBulkWriteRequest, SHIP_FAST_CHECKS } from './bulk-write.fast-check';

const BODY: ArgumentMetadata = { type: 'body', metatype: BulkWriteRequestDto, data: '' };
const ID = '01890a5d-ac96-774b-bcce-b302099a8057';

const request = (...writes: unknown[]): Record<string, unknown> => ({ writes });

describe('fastBulkWriteRequest', () => {
  it('builds what the pipe builds, keeping each document as received', async () => {
    const data = { title: 'Deck log', tags: ['a'], nested: { toString: 'kept' } };
    const raw = request(
      { op: 'create', type: 'item', data },
      { op: 'create', type: 'item', id: ID, locale: 'pt-BR', data: { title: 'x' } },
      { op: 'update', type: 'item', id: ID, locale: '', data: { title: 'y' } },
      { op: 'delete', type: 'item', id: ID },
    );
    const fast = fastBulkWriteRequest(raw);
    expect(fast).toBeInstanceOf(BulkWriteRequestDto);
    expect(fast?.writes[0]).toBeInstanceOf(BulkWriteDto);
    expect(fast?.writes[0].data).toBe(data);
    expect(await fastCheckVerdict(fastBulkWriteRequest, BulkWriteRequestDto, raw)).toBe('agrees');
  });

  it.each([
    ['an unknown op', { op: 'upsert', type: 'item', data: { a: 1 } }],
    ['an upper-case type', { op: 'create', type: 'Item', data: { a: 1 } }],
    ['an update without id', { op: 'update', type: 'item', data: { a: 1 } }],
    ['a create with a null id', { op: 'create', type: 'item', id: null, data: { a: 1 } }],
    ['an upper-case id', { op: 'delete', type: 'item', id: ID.toUpperCase() }],
    ['a bad locale', { op: 'create', type: 'item', locale: 'e', data: { a: 1 } }],
    ['a null locale', { op: 'create', type: 'item', locale: null, data: { a: 1 } }],
    [
      'a too long locale',
      { op: 'create', type: 'item', locale: `en${'-abcdefgh'.repeat(4)}`, data: { a: 1 } },
    ],
    ['empty data', { op: 'create', type: 'item', data: {} }],
    ['data that is an array', { op: 'update', type: 'item', id: ID, data: [1] }],
    ['data on a delete', { op: 'delete', type: 'item', id: ID, data: { a: 1 } }],
    ['an unknown property', { op: 'create', type: 'item', data: { a: 1 }, priority: 1 }],
    [
      'a reserved key in data',
      { op: 'create', type: 'item', data: JSON.parse('{"a": {"__proto__": {"x": 1}}}') as unknown },
    ],
  ])('leaves %s to the pipe', (_, write) => {
    expect(fastBulkWriteRequest(request(write))).toBeUndefined();
  });

  it('leaves an empty, oversized or malformed request to the pipe', () => {
    const write = { op: 'delete', type: 'item', id: ID };
    expect(fastBulkWriteRequest(request())).toBeUndefined();
    expect(
      fastBulkWriteRequest({ writes: Array.from({ length: MAX_BULK_WRITES + 1 }, () => write) }),
    ).toBeUndefined();
    expect(fastBulkWriteRequest({ writes: write })).toBeUndefined();
    expect(fastBulkWriteRequest({ ...request(write), atomic: true })).toBeUndefined();
    expect(fastBulkWriteRequest([write])).toBeUndefined();
  });

  it('never accepts what the pipe refuses, and returns what the pipe returns', async () => {
    const name = fc.oneof(
      { weight: 4, arbitrary: fc.string({ maxLength: 4 }) },
      { weight: 1, arbitrary: fc.constantFrom('toString', 'valueOf', 'constructor', '__proto__') },
    );
    const { json } = fc.letrec<{ json: unknown }>((tie) => ({
      json: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.jsonValue({ maxDepth: 1 }),
        fc.array(tie('json'), { maxLength: 3 }),
        fc
          .array(fc.tuple(name, tie('json')), { maxLength: 3 })
          .map((entries) => JSON.parse(JSON.stringify(Object.fromEntries(entries))) as unknown),
      ),
    }));
    const field = <T>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<unknown>) =>
      fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: other });
    const sometimes = <T>(arbitrary: fc.Arbitrary<T>, absent: number, present: number) =>
      fc.oneof(
        { weight: absent, arbitrary: fc.constant(undefined) },
        { weight: present, arbitrary },
      );
    const uuid = field(
      fc.uuid().map((id) => id.toLowerCase()),
      fc.constantFrom('', 'x', 7, null),
    );
    const data = field(
      fc
        .dictionary(name, json, { minKeys: 1, maxKeys: 3 })
        .map((entries) => JSON.parse(JSON.stringify(entries)) as unknown),
      fc.constantFrom({}, [], 'd', null, 0),
    );
    const arbitraryWrite = fc
      .constantFrom('create', 'update', 'delete')
      .chain((op) =>
        fc.record({
          op: field(fc.constant(op), fc.constantFrom('put', 1, null)),
          type: field(
            fc.constantFrom('item', 'log-entry', 'a1'),
            fc.constantFrom('', 'A', 2, 'x'.repeat(65)),
          ),
          // Mostly as each op wants them, sometimes not.
          id: op === 'create' ? sometimes(uuid, 1, 1) : sometimes(uuid, 1, 10),
          locale: sometimes(
            field(fc.constantFrom('', 'en', 'pt-BR'), fc.constantFrom('e', 'en_US', 3, null)),
            1,
            1,
          ),
          data: op === 'delete' ? sometimes(data, 10, 1) : sometimes(data, 1, 10),
        }),
      )
      .map((write) =>
        // JSON has no undefined: an absent property is left out.
        Object.fromEntries(Object.entries(write).filter(([, value]) => value !== undefined)),
      )
      .chain((write) =>
        fc
          .oneof(
            { weight: 12, arbitrary: fc.constant(null) },
            { weight: 1, arbitrary: fc.constantFrom('priority', 'toString', '__proto__') },
          )
          .map((extra) =>
            extra === null ? write : Object.assign(JSON.parse(`{"${extra}": 1}`) as object, write),
          ),
      );
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(arbitraryWrite, { maxLength: 3 }), async (writes) => {
        const verdict = await fastCheckVerdict(
          fastBulkWriteRequest,
          BulkWriteRequestDto,
          request(...writes),
        );
        if (verdict !== 'declined') taken += 1;
        expect(verdict).not.toBe('differs');
      }),
      { numRuns: 1500 },
    );
    // The property says something only if the fast path is taken often.
    expect(taken).toBeGreaterThan(100);
  });

  it('is what the ship pipe uses for bulk requests, and the pipe still names what is wrong', async () => {
    const pipe = createValidationPipe(SHIP_FAST_CHECKS);
    const data = { title: 'kept as received' };
    const passed = (await pipe.transform(
      request({ op: 'create', type: 'item', data }),
      BODY,
    )) as BulkWriteRequestDto;
    expect(passed.writes[0].data).toBe(data);
    const refused: unknown = await pipe
      .transform(request({ op: 'update', type: 'item', data: { a: 1 } }), BODY)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InputValidationException);
    const { errors } = (refused as InputValidationException).getResponse() as {
      errors: { field: string }[];
    };
    expect(errors.map((error) => error.field)).toContain('writes[0].id');
  });
});
