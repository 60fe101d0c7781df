import type { ArgumentMetadata } from '@nestjs/common';
import fc from 'fast-check';
import { fastCheckVerdict } from '../nest/fast-check.reference';
import { createValidationPipe } from '../nest/validation-pipe.factory';
import { EnvelopeBatchDto, EnvelopeMessageDto } from './envelope-batch.dto';
import { fastEnvelopeBatch } from './envelope-batch.fast-check';

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

describe('fastEnvelopeBatch', () => {
  it('builds what the pipe builds, keeping each envelope as decoded', async () => {
    const raw = batch(message(), message({ key: null, offset: '43' }));
    const fast = fastEnvelopeBatch(raw);
    expect(fast).toBeInstanceOf(EnvelopeBatchDto);
    expect(fast?.messages[0]).toBeInstanceOf(EnvelopeMessageDto);
    expect(fast?.messages[1].value).toBe((raw.messages as { value: unknown }[])[1].value);
    expect(await fastCheckVerdict(fastEnvelopeBatch, EnvelopeBatchDto, raw)).toBe('agrees');
  });

  it.each([
    ['a value that is not an object', { value: [1, 2] }],
    ['a null value', { value: null }],
    ['an offset that is not a number', { offset: 'x1' }],
    ['a negative size', { size: -1 }],
    ['a numeric key', { key: 7 }],
    ['an unknown property', { priority: 'high' }],
  ])('leaves %s to the pipe', (_, overrides) => {
    expect(fastEnvelopeBatch(batch(message(overrides)))).toBeUndefined();
  });

  it('leaves a batch with an unknown property or a bad partition to the pipe', () => {
    expect(fastEnvelopeBatch({ ...batch(message()), extra: 1 })).toBeUndefined();
    expect(fastEnvelopeBatch({ ...batch(message()), partition: -1 })).toBeUndefined();
    expect(fastEnvelopeBatch({ ...batch(message()), messages: {} })).toBeUndefined();
  });

  it('never accepts what the pipe refuses, and returns what the pipe returns', async () => {
    // Keys the pipe's deep copy used to drop inside envelopes.
    const prototypeName = fc.constantFrom('toString', 'valueOf', 'constructor', '__proto__');
    const { jsonWithNames } = fc.letrec<{ jsonWithNames: unknown }>((tie) => ({
      jsonWithNames: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.jsonValue({ maxDepth: 1 }),
        fc.array(tie('jsonWithNames'), { maxLength: 3 }),
        fc
          .array(
            fc.tuple(fc.oneof(fc.string({ maxLength: 4 }), prototypeName), tie('jsonWithNames')),
            {
              maxLength: 3,
            },
          )
          .map((entries) => JSON.parse(JSON.stringify(Object.fromEntries(entries))) as unknown),
      ),
    }));
    const field = <T>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<unknown>) =>
      fc.oneof({ weight: 8, arbitrary: valid }, { weight: 1, arbitrary: other });
    const arbitraryMessage = fc
      .record({
        offset: field(
          fc.bigInt({ min: 0n, max: 2n ** 62n }).map(String),
          fc.constantFrom('', '1.5', 'a', 3),
        ),
        key: field(fc.option(fc.string({ maxLength: 6 })), fc.constantFrom(1, {}, [])),
        timestamp: field(fc.nat().map(String), fc.constantFrom('', 'now', -1, null)),
        headers: field(
          fc.dictionary(fc.string({ maxLength: 4 }), fc.string()),
          fc.constantFrom(null, [], 'h'),
        ),
        size: field(fc.nat(), fc.constantFrom(-1, 1.5, '3', NaN)),
        value: field(
          fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), prototypeName), jsonWithNames),
          fc.constantFrom(null, [], 'v', 0),
        ),
        raw: field(fc.string({ maxLength: 10 }), fc.constantFrom(null, 1)),
      })
      .chain((fields) =>
        fc
          .oneof(
            { weight: 8, arbitrary: fc.constant(null) },
            {
              weight: 1,
              arbitrary: fc.constantFrom('priority', 'toString', 'constructor', '__proto__'),
            },
          )
          .map((extra) =>
            extra === null
              ? fields
              : Object.assign(JSON.parse(`{"${extra}": 1}`) as object, fields),
          ),
      );
    const arbitraryBatch = fc.record({
      topic: field(fc.string({ maxLength: 10 }), fc.constantFrom(1, null)),
      partition: field(fc.nat({ max: 64 }), fc.constantFrom(-1, 0.5, '0')),
      messages: field(fc.array(arbitraryMessage, { maxLength: 4 }), fc.constantFrom(null, {}, 'm')),
    });
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(arbitraryBatch, async (raw) => {
        const verdict = await fastCheckVerdict(fastEnvelopeBatch, EnvelopeBatchDto, raw);
        if (verdict !== 'declined') taken += 1;
        expect(verdict).not.toBe('differs');
      }),
      { numRuns: 1000 },
    );
    // The property says something only if the fast path is taken often.
    expect(taken).toBeGreaterThan(200);
  });

  it('hands envelopes through as received when the pipe checks the batch', async () => {
    // One message the fast check declines sends the whole batch through the pipe.
    const value = JSON.parse(
      '{"kind": "master-update", "payload": {"toString": false, "a": {"valueOf": 1, "constructor": 2, "__proto__": {"x": 3}}}}',
    ) as Record<string, unknown>;
    const raw = batch(message({ value }), message({ offset: '43', size: 1.5 }));
    await expect(createValidationPipe().transform(raw, PAYLOAD)).rejects.toThrow(/size/);
    const accepted = batch(message({ value }), message({ offset: '43', timestamp: '1.5' }));
    expect(fastEnvelopeBatch(accepted)).toBeUndefined();
    const passed = (await createValidationPipe().transform(accepted, PAYLOAD)) as EnvelopeBatchDto;
    expect(passed.messages[0].value).toBe(value);
    // Nothing stripped in place, nothing dropped.
    expect(JSON.stringify(value)).toBe(
      '{"kind":"master-update","payload":{"toString":false,"a":{"valueOf":1,"constructor":2,"__proto__":{"x":3}}}}',
    );
  });

  it('is what the global pipe uses for EnvelopeBatchDto, and the pipe still refuses the rest', async () => {
    const pipe = createValidationPipe();
    const raw = batch(message());
    const passed = (await pipe.transform(raw, PAYLOAD)) as EnvelopeBatchDto;
    expect(passed.messages[0].value).toBe((raw.messages as { value: unknown }[])[0].value);
    await expect(pipe.transform(batch(message({ value: 'text' })), PAYLOAD)).rejects.toThrow();
  });
});
