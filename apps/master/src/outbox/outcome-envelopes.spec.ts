import type { ChangeOutcomeDto } from '@offline-sync/sync-core';
import {
  OUTCOMES_PER_ENVELOPE,
  OUTCOME_BYTES_PER_ENVELOPE,
  outcomeEnvelopes,
} from './outcome-envelopes';

const outcome = (seq: number, reason?: string): ChangeOutcomeDto => ({
  changeId: `01890a5d-ac96-774b-bcce-${String(seq).padStart(12, '0')}`,
  seq,
  documentId: '01890a5d-ac96-774b-bcce-b302099a8057',
  type: 'article',
  locale: 'en',
  ...(reason === undefined
    ? { status: 'applied' as const, version: 2 }
    : { status: 'rejected' as const, reason }),
});
const many = (n: number, reason?: string) =>
  Array.from({ length: n }, (_, i) => outcome(i + 1, reason));
const longReason = `invalid-data: ${'x'.repeat(1010)}`;

describe('outcomeEnvelopes', () => {
  it.each([
    ['nothing', many(0), []],
    ['a few', many(3), [3]],
    ['count-bound', many(2500), [1000, 1000, 500]],
    ['byte-bound: 1,000 rejections with 1 KB reasons', many(1000, longReason), [368, 368, 264]],
  ])('%s', (_name, outcomes, sizes) => {
    const envelopes = outcomeEnvelopes(outcomes);
    expect(envelopes.map((e) => e.length)).toEqual(sizes);
    expect(envelopes.flat()).toEqual(outcomes);
  });

  it('keeps every envelope within its byte budget as JSON', () => {
    for (const envelope of outcomeEnvelopes(many(1000, longReason))) {
      expect(envelope.length).toBeLessThanOrEqual(OUTCOMES_PER_ENVELOPE);
      expect(Buffer.byteLength(JSON.stringify(envelope))).toBeLessThanOrEqual(
        OUTCOME_BYTES_PER_ENVELOPE,
      );
    }
  });
});
