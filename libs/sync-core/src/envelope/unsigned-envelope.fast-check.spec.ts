import fc from 'fast-check';
import { v7 as uuidv7 } from 'uuid';
import { MESSAGE_KINDS, validateContract } from '../contracts';
import { UnsignedEnvelopeDto } from './envelope.dto';
import { fastUnsignedEnvelope } from './unsigned-envelope.fast-check';

/** Valid values of each header field, and values the decorators refuse or may refuse. */
const FIELDS: Record<string, { valid: fc.Arbitrary<unknown>; other: fc.Arbitrary<unknown> }> = {
  schemaVersion: {
    valid: fc.integer({ min: 1, max: 5 }),
    other: fc.constantFrom(0, -1, 1.5, '1', null, Number.MAX_SAFE_INTEGER + 2, NaN),
  },
  messageId: {
    valid: fc.constant(null).map(() => uuidv7()),
    other: fc.constantFrom(
      '0190b5f1-6a2e-4c3d-9e4f-5a6b7c8d9e0f',
      '0190B5F1-6A2E-7C3D-9E4F-5A6B7C8D9E0F',
      '',
      42,
    ),
  },
  sender: {
    valid: fc.constantFrom('master', 'ship-a', 'ship-atlantic-001'),
    other: fc.constantFrom('Ship A', '', 'x'.repeat(65), 7, '-ship'),
  },
  kind: { valid: fc.constantFrom(...MESSAGE_KINDS), other: fc.constantFrom('gossip', '', 3) },
  timestamp: {
    valid: fc.constantFrom('2024-01-15T10:30:00.000Z', '2026-11-23T19:00:00+01:00'),
    other: fc.constantFrom(
      'now',
      '2024-02-30T10:30:00.000Z',
      '2024-01-15T10:30:00.000',
      '0999-01-15T10:30:00.000Z',
      '2024-01-15',
      0,
    ),
  },
  payload: {
    valid: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })),
    other: fc.constantFrom([], 'payload', null, 1),
  },
  keyId: {
    valid: fc.stringMatching(/^[0-9a-f]{16}$/),
    other: fc.constantFrom('0123456789ABCDEF', '0123456789abcde', '0123456789abcdef0', null, 7, ''),
  },
};

const header = fc
  .record(
    Object.fromEntries(
      Object.entries(FIELDS).map(([name, { valid, other }]) => [
        name,
        fc.oneof(
          { weight: 14, arbitrary: valid },
          { weight: 1, arbitrary: other },
          { weight: 1, arbitrary: fc.constant(undefined) },
        ),
      ]),
    ),
  )
  .chain((fields) =>
    fc
      .option(fc.constantFrom('priority', 'signature', 'toString', '__proto__', 'constructor'))
      .map((extra) => {
        const raw: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(fields)) {
          if (value !== undefined) raw[name] = value;
        }
        if (extra !== null) Object.defineProperty(raw, extra, { value: 'x', enumerable: true });
        return raw;
      }),
  );

describe('fastUnsignedEnvelope', () => {
  it('never accepts what the decorators refuse, and returns what they return when it accepts', () => {
    let accepted = 0;
    fc.assert(
      fc.property(header, (raw) => {
        const fast = fastUnsignedEnvelope(raw);
        const slow = validateContract(UnsignedEnvelopeDto, raw);
        if (fast === undefined) return;
        accepted += 1;
        expect(slow.ok).toBe(true);
        if (slow.ok) {
          expect(Object.getPrototypeOf(fast)).toBe(UnsignedEnvelopeDto.prototype);
          expect(fast).toEqual(slow.value);
          expect(fast.payload).toBe(raw.payload);
        }
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });

  it('accepts a plain valid header', () => {
    const raw = {
      schemaVersion: 2,
      messageId: uuidv7(),
      sender: 'master',
      kind: 'master-update',
      timestamp: '2024-01-15T10:30:00.000Z',
      payload: { a: 1 },
    };
    expect(fastUnsignedEnvelope(raw)).toEqual(raw);
    const named = { ...raw, keyId: '0123456789abcdef' };
    expect(fastUnsignedEnvelope(named)).toEqual(named);
  });
});
