import { PermanentMessageError, TransientMessageError } from '@offline-sync/sync-core';
import { classifyIngestError } from './ingest-error.classifier';

function pgError(code: string): Error {
  return Object.assign(new Error(`pg ${code}`), { code });
}

describe('classifyIngestError', () => {
  it('treats data, integrity and syntax errors as permanent (the batch is split, the culprit dead-lettered)', () => {
    for (const code of ['22P05', '23505', '42601']) {
      expect(classifyIngestError(pgError(code))).toBeInstanceOf(PermanentMessageError);
    }
    expect(classifyIngestError(new RangeError('bad key'))).toBeInstanceOf(PermanentMessageError);
  });

  it('retries deadlocks, serialization failures and lost connections', () => {
    for (const code of ['40P01', '40001', '08006', '57P01']) {
      expect(classifyIngestError(pgError(code))).toBeInstanceOf(TransientMessageError);
    }
    expect(classifyIngestError(new Error('Connection terminated unexpectedly'))).toBeInstanceOf(
      TransientMessageError,
    );
    const wrapped = Object.assign(new Error('query failed'), { driverError: { code: '40P01' } });
    expect(classifyIngestError(wrapped)).toBeInstanceOf(TransientMessageError);
  });
});
