import { fastChangeOutcome } from './change-outcome.fast-check';
import { ChangeOutcomeDto } from './change-outcome.dto';
import { ChangeOutcomesPayloadDto, isOutcomeBatch } from './change-outcomes-payload.dto';
import { toContractInstanceOfKeys } from './contract-instance';
import { isPlainObject } from './plain-object.util';
import { isShipId } from './wire-patterns.constants';

const PAYLOAD_KEYS: ReadonlySet<string> = new Set(['shipId', 'outcomes']);

/**
 * The ChangeOutcomesPayloadDto that validateContract would return for `raw`, when `raw` is
 * certainly valid by the DTO's decorators; else undefined, and the decorators say why.
 */
export function fastChangeOutcomesPayload(
  raw: Record<string, unknown>,
): ChangeOutcomesPayloadDto | undefined {
  const payload = toContractInstanceOfKeys(ChangeOutcomesPayloadDto, raw, PAYLOAD_KEYS);
  if (payload === undefined || !isShipId(payload.shipId)) {
    return undefined;
  }
  const received: unknown = payload.outcomes;
  if (!isOutcomeBatch(received)) {
    return undefined;
  }
  // `map`, as toContractInstance uses, so that the array is made the same way. It skips holes, and
  // the count of checked outcomes then falls short, as it does after the first invalid outcome.
  let checked = 0;
  const outcomes = received.map((item: unknown, index): ChangeOutcomeDto | undefined => {
    const outcome = checked === index && isPlainObject(item) ? fastChangeOutcome(item) : undefined;
    if (outcome !== undefined) {
      checked += 1;
    }
    return outcome;
  });
  if (checked !== received.length) {
    return undefined;
  }
  payload.outcomes = outcomes as ChangeOutcomeDto[];
  return payload;
}
