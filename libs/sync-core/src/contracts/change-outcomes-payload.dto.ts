import type { Static } from '@sinclair/typebox';
import { ChangeOutcomeDto } from './change-outcome.dto';
import { contractList, shipId, wireContract } from './wire-fields.schema';

export const MAX_OUTCOMES_PER_ENVELOPE = 10_000;

/** Master → one ship: outcomes of its changes. The envelope sender is the master. */
export const ChangeOutcomesPayloadDto = wireContract({
  /** The ship these outcomes are for (not the sender). */
  shipId: shipId(),
  outcomes: contractList(
    ChangeOutcomeDto,
    MAX_OUTCOMES_PER_ENVELOPE,
    `must be an array of 1 to ${MAX_OUTCOMES_PER_ENVELOPE} outcomes`,
  ),
});
export type ChangeOutcomesPayloadDto = Static<typeof ChangeOutcomesPayloadDto>;
