import { v7 as uuidv7 } from 'uuid';
import { validateContract } from '../contracts/validate-contract';
import { EnvelopeDto, UnsignedEnvelopeDto } from './envelope.dto';

function header(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: 2,
    messageId: uuidv7(),
    sender: 'master',
    kind: 'master-update',
    timestamp: '2024-01-15T10:30:00.000Z',
    payload: { a: 1 },
    keyId: '0123456789abcdef',
    ...overrides,
  };
}

function errorsOf(raw: Record<string, unknown>): string[] {
  const result = validateContract(UnsignedEnvelopeDto, raw);
  return result.ok ? [] : result.errors;
}

describe('UnsignedEnvelopeDto', () => {
  it.each([
    ['a header naming its key', {}],
    ['a header of an earlier sender, without keyId', { keyId: undefined }],
    ['a ship sender', { sender: 'ship-atlantic-001', kind: 'ship-changes' }],
    ['an offset time', { timestamp: '2026-11-23T19:00:00+01:00' }],
  ])('accepts %s as received', (_name, overrides) => {
    const raw = header(overrides);
    const result = validateContract(UnsignedEnvelopeDto, raw);
    expect(result.ok && result.value).toBe(raw);
  });

  it.each([
    ['schemaVersion', 0, 'schemaVersion: must be an integer ≥ 1'],
    ['schemaVersion', 1.5, 'schemaVersion: must be an integer ≥ 1'],
    ['messageId', '0190b5f1-6a2e-4c3d-9e4f-5a6b7c8d9e0f', 'messageId: must be a lower-case UUIDv7'],
    ['sender', 'Ship A', "sender: must be 'master' or a ship id"],
    ['sender', 'x'.repeat(65), "sender: must be 'master' or a ship id"],
    [
      'kind',
      'gossip',
      "kind: must be one of 'ship-changes', 'master-update', 'change-outcomes', 'heartbeat'",
    ],
    ['timestamp', '2024-02-30T10:30:00.000Z', 'timestamp: must be an ISO-8601 date-time'],
    ['payload', [], 'payload: must be a JSON object'],
    ['keyId', '0123456789ABCDEF', 'keyId: must be 16 lower-case hex digits (a key id)'],
    ['keyId', null, 'keyId: must be 16 lower-case hex digits (a key id)'],
    ['priority', 'high', 'priority: is not allowed'],
  ])('refuses %s = %j', (field, value, message) => {
    const errors = errorsOf(header({ [field]: value }));
    expect(errors).toHaveLength(1);
    expect(errors[0].startsWith(message)).toBe(true);
  });

  it('checks the payload for shape only (its kind’s contract checks the rest)', () => {
    expect(errorsOf(header({ payload: JSON.parse('{"__proto__": {"x": 1}}') }))).toEqual([]);
  });
});

describe('EnvelopeDto', () => {
  it('is the header with its signature', () => {
    const signed = header({ signature: `${'A'.repeat(86)}==` });
    expect(validateContract(EnvelopeDto, signed).ok).toBe(true);
    expect(validateContract(EnvelopeDto, { ...signed, signature: 'x' })).toEqual({
      ok: false,
      errors: ['signature: must be a base64 Ed25519 signature'],
    });
  });
});
