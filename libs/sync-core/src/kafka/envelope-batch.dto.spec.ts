import type { ArgumentMetadata } from '@nestjs/common';
import fc from 'fast-check';
import { InputValidationException } from '../nest/input-validation.exception';
import { createValidationPipe } from '../nest/validation-pipe.factory';
import { EnvelopeBatchDto } from './envelope-batch.dto';

const PAYLOAD: ArgumentMetadata = { type: 'body', metatype: EnvelopeBatchDto, data: '' };

function message(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const value = { schemaVersion: 2, kind: 'master-update', payload: { fields: { title: 'T' } } };
  return {
    offset: '42',
    key: 'doc-1',
    timestamp: '1763900000000',
    headers: { 'content-type': 'application/json' },
    size: 80,
    value,
    raw: JSON.stringify(value),
    ...overrides,
  };
}

const batch = (...messages: unknown[]): Record<string, unknown> => ({
  topic: 'sync.master-updates',
  partition: 0,
  messages,
});

async function fieldErrorsOf(raw: unknown): Promise<unknown> {
  try {
    await createValidationPipe().transform(raw, PAYLOAD);
    return 'accepted';
  } catch (error) {
    return error instanceof InputValidationException ? error.fieldErrors : error;
  }
}

describe('EnvelopeBatchDto through the global pipe', () => {
  it('hands on the received batch, each envelope as decoded', async () => {
    const raw = batch(message(), message({ key: null, offset: '43' }));
    const passed = (await createValidationPipe().transform(raw, PAYLOAD)) as EnvelopeBatchDto;
    expect(passed).toBe(raw);
    expect(passed.messages[1].value).toBe((raw.messages as { value: unknown }[])[1].value);
  });

  it.each([
    [
      'a value that is not an object',
      { value: [1, 2] },
      'value',
      'must be a JSON object (an envelope)',
    ],
    ['a null value', { value: null }, 'value', 'must be a JSON object (an envelope)'],
    ['an offset that is not a number', { offset: 'x1' }, 'offset', 'must be a number string'],
    ['a negative size', { size: -1 }, 'size', 'must be an integer ≥ 0'],
    ['a fractional size', { size: 1.5 }, 'size', 'must be an integer ≥ 0'],
    ['a numeric key', { key: 7 }, 'key', 'must be a string or null'],
    ['an unknown property', { priority: 'high' }, 'priority', 'is not allowed'],
  ])('refuses %s, naming it', async (_name, overrides, field, reason) => {
    expect(await fieldErrorsOf(batch(message(), message(overrides)))).toEqual([
      { field: `messages[1].${field}`, reason },
    ]);
  });

  it('refuses a batch with an unknown property, a bad partition or no list of messages', async () => {
    expect(await fieldErrorsOf({ ...batch(message()), extra: 1 })).toEqual([
      { field: 'extra', reason: 'is not allowed' },
    ]);
    expect(await fieldErrorsOf({ ...batch(message()), partition: -1 })).toEqual([
      { field: 'partition', reason: 'must be an integer ≥ 0' },
    ]);
    expect(await fieldErrorsOf({ ...batch(message()), messages: {} })).toEqual([
      { field: 'messages', reason: 'must be an array of messages' },
    ]);
    expect(await fieldErrorsOf('text')).toEqual([
      { field: '(input)', reason: 'must be a JSON object' },
    ]);
  });

  it('hands envelopes through untouched, whatever keys they hold', async () => {
    // Keys class-transformer's copy dropped and Nest's pipe stripped in place.
    const prototypeName = fc.constantFrom('toString', 'valueOf', 'constructor', '__proto__');
    const { json } = fc.letrec<{ json: unknown }>((tie) => ({
      json: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.jsonValue({ maxDepth: 1 }),
        fc.array(tie('json'), { maxLength: 3 }),
        fc
          .array(fc.tuple(fc.oneof(fc.string({ maxLength: 4 }), prototypeName), tie('json')), {
            maxLength: 3,
          })
          .map((entries) => JSON.parse(JSON.stringify(Object.fromEntries(entries))) as unknown),
      ),
    }));
    const envelope = fc
      .dictionary(fc.oneof(fc.string({ maxLength: 6 }), prototypeName), json)
      .map((value) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>);
    await fc.assert(
      fc.asyncProperty(fc.array(envelope, { maxLength: 4 }), async (values) => {
        const raw = batch(...values.map((value, i) => message({ value, offset: String(i) })));
        const before = JSON.stringify(raw);
        const passed = (await createValidationPipe().transform(raw, PAYLOAD)) as EnvelopeBatchDto;
        passed.messages.forEach((received, i) => expect(received.value).toBe(values[i]));
        expect(JSON.stringify(raw)).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it('takes what IsNumberString took for offsets and timestamps', async () => {
    const value = JSON.parse(
      '{"kind": "master-update", "payload": {"toString": false, "a": {"valueOf": 1, "constructor": 2, "__proto__": {"x": 3}}}}',
    ) as Record<string, unknown>;
    const raw = batch(message({ value }), message({ offset: '43', size: 1.5 }));
    await expect(createValidationPipe().transform(raw, PAYLOAD)).rejects.toThrow(/size/);
    const accepted = batch(message({ value }), message({ offset: '43', timestamp: '1.5' }));
    const passed = (await createValidationPipe().transform(accepted, PAYLOAD)) as EnvelopeBatchDto;
    expect(passed.messages[0].value).toBe(value);
    // Nothing stripped in place, nothing dropped.
    expect(JSON.stringify(value)).toBe(
      '{"kind":"master-update","payload":{"toString":false,"a":{"valueOf":1,"constructor":2,"__proto__":{"x":3}}}}',
    );
  });
});
