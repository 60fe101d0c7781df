import fc from 'fast-check';
import { ChangeOutcomesPayloadDto } from './change-outcomes-payload.dto';
import { HeartbeatDto } from './heartbeat.dto';
import { MasterUpdateDto } from './master-update.dto';
import { MessageKind, MESSAGE_KINDS } from './message-kind.enum';
import { payloadSchemaFor } from './payload-schema-for';
import { ShipChangesPayloadDto } from './ship-changes-payload.dto';
import { validateContract } from './validate-contract';

describe('validateContract', () => {
  it.each([null, 'text', 3, [], true])('refuses %j as a whole with a root error', (plain) => {
    expect(validateContract(HeartbeatDto, plain, 'payload')).toEqual({
      ok: false,
      errors: ['payload: must be a JSON object'],
    });
    expect(validateContract(HeartbeatDto, plain)).toEqual({
      ok: false,
      errors: ['(root): must be a JSON object'],
    });
  });

  it('lists every error, not only the first', () => {
    const result = validateContract(HeartbeatDto, {});
    expect(result.ok ? 0 : result.errors.length).toBe(8);
  });

  it('never throws, whatever JSON it is given', () => {
    const keys = fc.constantFrom(
      'changes',
      'fields',
      'data',
      'origin',
      'seq',
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'valueOf',
      '0',
    );
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.oneof(keys, fc.string()), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    const classes = [
      ShipChangesPayloadDto,
      MasterUpdateDto,
      ChangeOutcomesPayloadDto,
      HeartbeatDto,
    ];
    fc.assert(
      fc.property(fc.constantFrom(...classes), json, (cls, plain) => {
        const parsed: unknown = JSON.parse(JSON.stringify(plain) ?? 'null');
        const result = validateContract(cls, parsed);
        return result.ok || result.errors.every((error) => error.includes(': '));
      }),
      { numRuns: 500 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('validateContract on hostile input', () => {
  it('names the field of an invalid change inside a batch', () => {
    const change = {
      changeId: '0190b5f1-6a2e-7c3d-8e4f-5a6b7c8d9e10',
      seq: 0,
      op: 'update',
      type: 'article',
      documentId: '0190b5f1-6a2e-7c3d-9e4f-5a6b7c8d9e0f',
      locale: 'en',
      baseVersion: 3,
      fields: { title: 'Storm warning' },
      editedAt: '2024-01-15T10:30:00.000Z',
    };
    expect(validateContract(ShipChangesPayloadDto, { changes: [change] })).toEqual({
      ok: false,
      errors: ['changes[0].seq: must be an integer ≥ 1'],
    });
  });

  it('turns a getter that throws into a refusal naming the reason', () => {
    const hostile = {
      type: 'article',
      documentId: '0190b5f1-6a2e-7c3d-9e4f-5a6b7c8d9e0f',
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

  it('refuses data nested too deep to walk instead of throwing', () => {
    const deep = JSON.parse(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`) as unknown;
    const result = validateContract(MasterUpdateDto, {
      type: 'article',
      documentId: '0190b5f1-6a2e-7c3d-9e4f-5a6b7c8d9e0f',
      locale: '',
      version: 1,
      deleted: false,
      data: deep,
      author: 'master:alice',
      updatedAt: '2024-01-15T10:30:00.000Z',
    });
    expect(result.ok).toBe(false);
  });
});

describe('payloadSchemaFor', () => {
  it('maps every kind to its payload contract', () => {
    expect(payloadSchemaFor(MessageKind.ShipChanges)).toBe(ShipChangesPayloadDto);
    expect(payloadSchemaFor(MessageKind.MasterUpdate)).toBe(MasterUpdateDto);
    expect(payloadSchemaFor(MessageKind.ChangeOutcomes)).toBe(ChangeOutcomesPayloadDto);
    expect(payloadSchemaFor(MessageKind.Heartbeat)).toBe(HeartbeatDto);
    expect(MESSAGE_KINDS).toEqual([
      'ship-changes',
      'master-update',
      'change-outcomes',
      'heartbeat',
    ]);
  });
});
