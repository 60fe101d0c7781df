import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { ChangeOutcomeDto } from './change-outcome.dto';
import { fastChangeOutcomesPayload } from './change-outcomes-payload.fast-check';
import { ChangeOutcomesPayloadDto } from './change-outcomes-payload.dto';
import { validateContract, validateWithDecorators } from './validate-contract';

type Json = Record<string, unknown>;

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

/** What the fast check says, after checking that validateContract says what the decorators say. */
function fastVerdict(raw: Json): ChangeOutcomesPayloadDto | undefined {
  const reference = validateWithDecorators(ChangeOutcomesPayloadDto, raw, 'payload');
  expect(validateContract(ChangeOutcomesPayloadDto, raw, 'payload')).toStrictEqual(reference);
  const fast = fastChangeOutcomesPayload(raw);
  if (fast !== undefined) {
    expect(reference.ok && reference.value).toStrictEqual(fast);
  }
  return fast;
}

const payload = (...outcomes: unknown[]): Json => ({ shipId: 'ship-a', outcomes });

describe('fastChangeOutcomesPayload', () => {
  it('builds what the decorators build', () => {
    const fast = fastVerdict(
      payload(
        outcome(),
        outcome({ status: 'conflict', version: undefined, conflictId: 'c-42' }),
        outcome({ status: 'rejected', reason: 'superseded: master-wins policy', version: 9 }),
        outcome({ status: 'rejected', reason: 'unknown-document', version: undefined }),
      ),
    );
    expect(fast).toBeInstanceOf(ChangeOutcomesPayloadDto);
    expect(fast?.outcomes[0]).toBeInstanceOf(ChangeOutcomeDto);
  });

  it.each([
    ['applied without version', { version: undefined }],
    ['conflict without conflict id', { status: 'conflict' }],
    ['rejected without reason', { status: 'rejected' }],
    ['version 0', { version: 0 }],
    ['a conflict id with a space', { status: 'conflict', conflictId: 'c 42' }],
    ['a bad reason next to a valid status', { reason: 'Superseded' }],
    ['a reason too long', { status: 'rejected', reason: `superseded: ${'x'.repeat(1_024)}` }],
    ['an unknown status', { status: 'done' }],
    ['an unknown property', { shipId: 'ship-a' }],
  ])('leaves %s to the decorators, with their error', (_name, overrides) => {
    expect(fastVerdict(payload(outcome(overrides)))).toBeUndefined();
  });

  it.each([
    ['no outcomes', payload()],
    ['a master recipient', { ...payload(outcome()), shipId: 'master' }],
    ['no ship id', { outcomes: [outcome()] }],
    ['an outcome that is an array', payload([outcome()])],
    [
      'a reserved key',
      JSON.parse(`{"__proto__":{},${JSON.stringify(payload(outcome())).slice(1)}`),
    ],
  ])('leaves a batch with %s to the decorators, with their error', (_name, raw) => {
    expect(fastVerdict(raw as Json)).toBeUndefined();
  });
});
