import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { HeartbeatDto } from './heartbeat.dto';
import { MasterUpdateDto } from './master-update.dto';
import { ShipChangesPayloadDto } from './ship-changes-payload.dto';
import { validateContract } from './validate-contract';

// Counts class-validator runs, to see which path validateContract took.
jest.mock('class-validator', () => {
  const actual = jest.requireActual<typeof import('class-validator')>('class-validator');
  return { ...actual, validateSync: jest.fn(actual.validateSync) };
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { validateSync } = require('class-validator') as { validateSync: jest.Mock };

const change = {
  changeId: uuidv7(),
  seq: 1,
  op: 'update',
  type: 'article',
  documentId: uuidv4(),
  locale: 'en',
  baseVersion: 3,
  fields: { title: 'Storm warning' },
  editedAt: '2024-01-15T10:30:00.000Z',
};

describe('validateContract', () => {
  beforeEach(() => validateSync.mockClear());

  it('accepts a valid hot payload without class-validator', () => {
    expect(validateContract(ShipChangesPayloadDto, { changes: [change] }).ok).toBe(true);
    expect(validateSync).not.toHaveBeenCalled();
  });

  it('runs class-validator for an invalid hot payload, for its messages', () => {
    const result = validateContract(ShipChangesPayloadDto, { changes: [{ ...change, seq: 0 }] });
    expect(result).toEqual({ ok: false, errors: ['changes[0].seq: must be an integer ≥ 1'] });
    expect(validateSync).toHaveBeenCalledTimes(1);
  });

  it('runs class-validator for contracts without a fast check', () => {
    validateContract(HeartbeatDto, {});
    expect(validateSync).toHaveBeenCalledTimes(1);
  });

  it('turns a fast check that throws into the decorators’ refusal', () => {
    const hostile = {
      type: 'article',
      documentId: uuidv4(),
      locale: '',
      version: 1,
      deleted: false,
      author: 'master:alice',
      updatedAt: '2024-01-15T10:30:00.000Z',
      get data(): never {
        throw new Error('no data for you');
      },
    };
    expect(validateContract(MasterUpdateDto, hostile)).toEqual({
      ok: false,
      errors: ['(root): could not be validated (no data for you)'],
    });
  });
});
