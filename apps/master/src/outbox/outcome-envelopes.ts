import type { ChangeOutcomeDto } from '@offline-sync/sync-core';

/** Outcomes per envelope: well under the contract's limit. */
export const OUTCOMES_PER_ENVELOPE = 1000;
/**
 * Bytes of outcomes' JSON per envelope, at most: below a produce request of the relay, so an
 * outcomes row is never too large to send (1,000 rejections with 1 KB reasons came to 1.3 MB).
 * Outcomes without a long reason stay bound by their count.
 */
export const OUTCOME_BYTES_PER_ENVELOPE = 512 * 1024;
/** An outcome's JSON besides its reason, at most: ids, type, locale, status, numbers. */
const OUTCOME_FIXED_BYTES = 400;

/** One ship's outcomes, in order, in envelopes of at most OUTCOMES_PER_ENVELOPE and about OUTCOME_BYTES_PER_ENVELOPE. */
export function outcomeEnvelopes(outcomes: readonly ChangeOutcomeDto[]): ChangeOutcomeDto[][] {
  const envelopes: ChangeOutcomeDto[][] = [];
  let current: ChangeOutcomeDto[] = [];
  let bytes = 0;
  for (const outcome of outcomes) {
    const size =
      OUTCOME_FIXED_BYTES + (outcome.reason === undefined ? 0 : Buffer.byteLength(outcome.reason));
    if (
      current.length > 0 &&
      (current.length >= OUTCOMES_PER_ENVELOPE || bytes + size > OUTCOME_BYTES_PER_ENVELOPE)
    ) {
      envelopes.push(current);
      current = [];
      bytes = 0;
    }
    current.push(outcome);
    bytes += size;
  }
  if (current.length > 0) envelopes.push(current);
  return envelopes;
}
