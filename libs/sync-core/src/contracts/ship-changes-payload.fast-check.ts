import { toContractInstanceOfKeys } from './contract-instance';
import { isPlainObject } from './plain-object.util';
import { fastShipChange } from './ship-change.fast-check';
import { ShipChangeDto } from './ship-change.dto';
import { firstOutOfOrder, isChangeBatch, ShipChangesPayloadDto } from './ship-changes-payload.dto';

const PAYLOAD_KEYS: ReadonlySet<string> = new Set(['changes']);

/**
 * The ShipChangesPayloadDto that validateContract would return for `raw`, when `raw` is certainly
 * valid by the DTO's decorators; else undefined, and the decorators say why. The master validates
 * one per received envelope, typically of 100 changes.
 */
export function fastShipChangesPayload(
  raw: Record<string, unknown>,
): ShipChangesPayloadDto | undefined {
  const payload = toContractInstanceOfKeys(ShipChangesPayloadDto, raw, PAYLOAD_KEYS);
  const received: unknown = payload?.changes;
  if (payload === undefined || !isChangeBatch(received)) {
    return undefined;
  }
  // `map`, as toContractInstance uses, so that the array is made the same way. It skips holes, and
  // the count of checked changes then falls short, as it does after the first invalid change.
  let checked = 0;
  const changes = received.map((item: unknown, index): ShipChangeDto | undefined => {
    const change = checked === index && isPlainObject(item) ? fastShipChange(item) : undefined;
    if (change !== undefined) {
      checked += 1;
    }
    return change;
  });
  if (checked !== received.length || firstOutOfOrder(changes) !== -1) {
    return undefined;
  }
  payload.changes = changes as ShipChangeDto[];
  return payload;
}
