import { isPlainObject } from './plain-object.util';
import {
  IsOmittable,
  IsShipId,
  IsWireInt,
  IsWireString,
  IsWireTimestamp,
  ValidateWith,
} from './wire-field.decorators';

/**
 * How far a ship has read the master-updates topic: partition number (decimal string) → next offset
 * to read (decimal string, as Kafka offsets are 64-bit). Empty until the ship has read anything.
 */
export type AppliedPosition = Record<string, string>;

const PARTITION_PATTERN = /^(?:0|[1-9]\d{0,9})$/;
const OFFSET_PATTERN = /^(?:0|[1-9]\d{0,18})$/;

export function isAppliedPosition(value: unknown): value is AppliedPosition {
  return (
    isPlainObject(value) &&
    Object.entries(value).every(
      ([partition, offset]) =>
        PARTITION_PATTERN.test(partition) &&
        typeof offset === 'string' &&
        OFFSET_PATTERN.test(offset),
    )
  );
}

/** Ship → master, on its own topic so it never waits behind a data backlog. */
export class HeartbeatDto {
  /** Must equal the envelope sender. */
  @IsShipId()
  shipId!: string;

  @IsWireTimestamp()
  sentAt!: string;

  /**
   * Grows with every heartbeat of the ship (kept in its database): the master lets a heartbeat
   * move the ship's state only when its sequence is higher than the last one's, so a replayed
   * heartbeat changes nothing. Left out by releases before it (then sentAt orders them).
   */
  @IsOmittable()
  @IsWireInt(1)
  sequence?: number;

  @IsWireString(1, 64)
  appVersion!: string;

  /** Outbox rows waiting to be sent. */
  @IsWireInt(0)
  queueDepth!: number;

  /** Changes the broker has that still wait for their outcome (left out by older releases). */
  @IsOmittable()
  @IsWireInt(0)
  awaitingOutcome?: number;

  /** Outbox rows that exhausted their retries. */
  @IsWireInt(0)
  failedCount!: number;

  /** Age of the oldest pending outbox row; null when the queue is empty. */
  @ValidateWith(
    'isNullableAge',
    (value) => value === null || (Number.isSafeInteger(value) && (value as number) >= 0),
    'must be an integer ≥ 0, or null when nothing is pending',
  )
  oldestPendingAgeMs!: number | null;

  @ValidateWith(
    'isAppliedPosition',
    isAppliedPosition,
    "must map partition numbers to next offsets, both as decimal strings (e.g. { '0': '42' })",
  )
  appliedPosition!: AppliedPosition;

  @ValidateWith('isOnline', (value) => value === true, 'must be true')
  online!: true;
}
