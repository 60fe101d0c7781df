import { ChangeOutcomesPayloadDto } from './change-outcomes-payload.dto';
import { ChangeOutcomeDto } from './change-outcome.dto';
import {
  ChangeRejectionCode,
  formatRejectionReason,
  parseRejectionReason,
} from './change-rejection-reason.util';
import { validateContract } from './validate-contract';

function outcome(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    changeId: '0190b5f1-6a2e-7c3d-8e4f-5a6b7c8d9e10',
    seq: 12,
    documentId: '0190b5f1-6a2e-7c3d-9e4f-5a6b7c8d9e0f',
    type: 'article',
    locale: 'en',
    status: 'applied',
    version: 5,
    ...overrides,
  };
}

function errorsOf(plain: unknown): string[] {
  const result = validateContract(ChangeOutcomeDto, plain);
  return result.ok ? [] : result.errors;
}

describe('ChangeOutcomeDto', () => {
  it.each([
    ['applied', {}],
    ['conflict', { status: 'conflict', version: undefined, conflictId: '42' }],
    [
      'conflict with a UUID id',
      { status: 'conflict', conflictId: '0190b5f1-6a2e-7c3d-8e4f-5a6b7c8d9e11' },
    ],
    [
      'rejected (superseded, with the master version)',
      { status: 'rejected', reason: 'superseded: master-wins policy' },
    ],
    [
      'rejected without a version',
      { status: 'rejected', version: undefined, reason: 'unknown-document' },
    ],
  ])('accepts %s', (_name, overrides) => {
    expect(errorsOf(outcome(overrides))).toEqual([]);
  });

  it.each([
    [{ version: undefined }, "version: is required when status is 'applied'"],
    [{ status: 'conflict' }, "conflictId: is required when status is 'conflict'"],
    [{ status: 'rejected' }, "reason: is required when status is 'rejected'"],
    [{ version: 0 }, 'version: must be an integer ≥ 1'],
    [{ status: 'conflict', conflictId: 'has space' }, 'conflictId: must be a conflict id'],
    [{ status: 'rejected', reason: 'Not a code' }, "reason: must be '<code>' or '<code>: <text>'"],
    [
      { status: 'rejected', reason: 'x'.repeat(2000) },
      "reason: must be '<code>' or '<code>: <text>'",
    ],
    [{ status: 'pending' }, "status: must be one of 'applied', 'conflict', 'rejected'"],
  ])('refuses %j', (overrides, message) => {
    const errors = errorsOf(outcome(overrides));
    expect(errors).toHaveLength(1);
    expect(errors[0].startsWith(message)).toBe(true);
  });
});

describe('ChangeOutcomesPayloadDto', () => {
  it('carries the target ship and its outcomes', () => {
    const result = validateContract(ChangeOutcomesPayloadDto, {
      shipId: 'ship-a',
      outcomes: [outcome(), outcome({ seq: 13, status: 'conflict', conflictId: '7' })],
    });
    expect(result.ok).toBe(true);
  });

  it('names nested errors by index', () => {
    const result = validateContract(
      ChangeOutcomesPayloadDto,
      { shipId: 'ship-a', outcomes: [outcome(), outcome({ status: 'rejected' })] },
      'payload',
    );
    expect(result).toEqual({
      ok: false,
      errors: ["payload.outcomes[1].reason: is required when status is 'rejected'"],
    });
  });

  it('refuses an empty list and a bad ship id', () => {
    const result = validateContract(ChangeOutcomesPayloadDto, { shipId: 'Ship A', outcomes: [] });
    expect(result.ok ? [] : result.errors).toHaveLength(2);
  });
});

describe('rejection reasons', () => {
  it('formats a code with text and parses it back', () => {
    const reason = formatRejectionReason(ChangeRejectionCode.Superseded, 'kept version 9');
    expect(reason).toBe('superseded: kept version 9');
    expect(parseRejectionReason(reason)).toEqual({ code: 'superseded', text: 'kept version 9' });
    expect(parseRejectionReason('unknown-document')).toEqual({
      code: 'unknown-document',
      text: '',
    });
  });

  it('keeps a long reason within the contract limit', () => {
    const reason = formatRejectionReason('invalid-data', 'x'.repeat(5000));
    expect(errorsOf(outcome({ status: 'rejected', reason }))).toEqual([]);
  });

  it('refuses a code that is not machine-readable', () => {
    expect(() => formatRejectionReason('Bad Code')).toThrow(RangeError);
    expect(parseRejectionReason('Something broke')).toEqual({
      code: 'unknown',
      text: 'Something broke',
    });
  });
});
