import { ChangeOutcomeDto } from './change-outcome.dto';
import { IsNestedContract, IsShipId, ValidateWith } from './wire-field.decorators';

export const MAX_OUTCOMES_PER_ENVELOPE = 10_000;

export function isOutcomeBatch(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length >= 1 && value.length <= MAX_OUTCOMES_PER_ENVELOPE;
}

/** Master → one ship: outcomes of its changes. The envelope sender is the master. */
export class ChangeOutcomesPayloadDto {
  /** The ship these outcomes are for (not the sender). */
  @IsShipId()
  shipId!: string;

  @ValidateWith(
    'outcomesArray',
    isOutcomeBatch,
    `must be an array of 1 to ${MAX_OUTCOMES_PER_ENVELOPE} outcomes`,
  )
  @IsNestedContract(() => ChangeOutcomeDto, { each: true })
  outcomes!: ChangeOutcomeDto[];
}
