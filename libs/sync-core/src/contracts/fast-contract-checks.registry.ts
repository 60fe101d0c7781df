import { fastChangeOutcome } from './change-outcome.fast-check';
import { ChangeOutcomeDto } from './change-outcome.dto';
import { fastChangeOutcomesPayload } from './change-outcomes-payload.fast-check';
import { ChangeOutcomesPayloadDto } from './change-outcomes-payload.dto';
import { fastMasterUpdate } from './master-update.fast-check';
import { MasterUpdateDto } from './master-update.dto';
import { fastShipChange } from './ship-change.fast-check';
import { ShipChangeDto } from './ship-change.dto';
import { fastShipChangesPayload } from './ship-changes-payload.fast-check';
import { ShipChangesPayloadDto } from './ship-changes-payload.dto';

/**
 * A contract's fast check: the instance validateContract would return for `raw` when `raw` is
 * certainly valid, else undefined (not valid, or not certainly). It may say undefined for valid
 * input, never an instance for invalid input.
 */
export type FastContractCheck<T extends object> = (raw: Record<string, unknown>) => T | undefined;

/**
 * Fast checks of the contracts received on hot paths: every change batch on the master, every
 * master update and outcome batch on the ships. Other contracts only go through the decorators.
 */
const FAST_CHECKS = new Map<new () => object, FastContractCheck<object>>([
  [ShipChangesPayloadDto, fastShipChangesPayload],
  [ShipChangeDto, fastShipChange],
  [MasterUpdateDto, fastMasterUpdate],
  [ChangeOutcomesPayloadDto, fastChangeOutcomesPayload],
  [ChangeOutcomeDto, fastChangeOutcome],
]);

export function fastContractCheckFor<T extends object>(
  cls: new () => T,
): FastContractCheck<T> | undefined {
  return FAST_CHECKS.get(cls) as FastContractCheck<T> | undefined;
}
