import { ShipChangeDto } from './ship-change.dto';
import { IsNestedContract, ValidateWith } from './wire-field.decorators';

/** Upper bound on changes per envelope; keeps one Kafka message well under broker limits. */
export const MAX_CHANGES_PER_ENVELOPE = 10_000;

function seqOf(change: unknown): unknown {
  return typeof change === 'object' && change !== null
    ? (change as { seq?: unknown }).seq
    : undefined;
}

/** First index whose seq does not exceed the previous one, or -1. */
export function firstOutOfOrder(changes: unknown[]): number {
  for (let i = 1; i < changes.length; i += 1) {
    const previous = seqOf(changes[i - 1]);
    const current = seqOf(changes[i]);
    if (typeof previous === 'number' && typeof current === 'number' && current <= previous) {
      return i;
    }
  }
  return -1;
}

export function isChangeBatch(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.length >= 1 && value.length <= MAX_CHANGES_PER_ENVELOPE;
}

/**
 * Ship → master batch. The sender ship is the envelope sender. Changes are in the order they were
 * made; the master relies on seq increasing within the batch to apply its high-water mark.
 */
export class ShipChangesPayloadDto {
  @ValidateWith(
    'changesArray',
    isChangeBatch,
    `must be an array of 1 to ${MAX_CHANGES_PER_ENVELOPE} changes`,
  )
  @ValidateWith(
    'seqIncreasing',
    (value) => !Array.isArray(value) || firstOutOfOrder(value) === -1,
    (args) => {
      const changes = args.value as unknown[];
      const i = firstOutOfOrder(changes);
      return `seq must increase strictly within a batch ([${i}].seq ${String(seqOf(changes[i]))} follows [${i - 1}].seq ${String(seqOf(changes[i - 1]))})`;
    },
  )
  @IsNestedContract(() => ShipChangeDto, { each: true })
  changes!: ShipChangeDto[];
}
