import type { Static } from '@sinclair/typebox';
import { ShipChangeDto } from './ship-change.dto';
import { contractList, wireContract } from './wire-fields.schema';

/** Upper bound on changes per envelope; keeps one Kafka message well under broker limits. */
export const MAX_CHANGES_PER_ENVELOPE = 10_000;

/**
 * Ship → master batch. The sender ship is the envelope sender. Changes are in the order they were
 * made; the master relies on seq increasing within the batch to apply its high-water mark.
 */
export const ShipChangesPayloadDto = wireContract({
  changes: contractList(
    ShipChangeDto,
    MAX_CHANGES_PER_ENVELOPE,
    `must be an array of 1 to ${MAX_CHANGES_PER_ENVELOPE} changes`,
    { increasingSeq: true },
  ),
});
export type ShipChangesPayloadDto = Static<typeof ShipChangesPayloadDto>;
