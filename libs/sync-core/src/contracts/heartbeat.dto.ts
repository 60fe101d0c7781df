import { type Static, Type } from '@sinclair/typebox';
import { shipId, wireContract, wireInt, wireString, wireTimestamp } from './wire-fields.schema';

/**
 * How far a ship has read the master-updates topic: partition number (decimal string) → next offset
 * to read (decimal string, as Kafka offsets are 64-bit). Empty until the ship has read anything.
 */
export type AppliedPosition = Record<string, string>;

const PARTITION_PATTERN = /^(?:0|[1-9]\d{0,9})$/;
const OFFSET_PATTERN = /^(?:0|[1-9]\d{0,18})$/;

/** Ship → master, on its own topic so it never waits behind a data backlog. */
export const HeartbeatDto = wireContract({
  /** Must equal the envelope sender. */
  shipId: shipId(),
  sentAt: wireTimestamp(),
  /**
   * Grows with every heartbeat of the ship (kept in its database): the master lets a heartbeat
   * move the ship's state only when its sequence is higher than the last one's, so a replayed
   * heartbeat changes nothing. Left out by releases before it (then sentAt orders them).
   */
  sequence: Type.Optional(wireInt(1)),
  appVersion: wireString(1, 64),
  /** Outbox rows waiting to be sent. */
  queueDepth: wireInt(0),
  /** Changes the broker has that still wait for their outcome (left out by older releases). */
  awaitingOutcome: Type.Optional(wireInt(0)),
  /** Outbox rows that exhausted their retries. */
  failedCount: wireInt(0),
  /** Age of the oldest pending outbox row; null when the queue is empty. */
  oldestPendingAgeMs: Type.Unsafe<number | null>({
    type: ['integer', 'null'],
    minimum: 0,
    maximum: Number.MAX_SAFE_INTEGER,
    wireMessage: 'must be an integer ≥ 0, or null when nothing is pending',
  }),
  appliedPosition: Type.Unsafe<AppliedPosition>({
    type: 'object',
    propertyNames: { pattern: PARTITION_PATTERN.source },
    additionalProperties: { type: 'string', pattern: OFFSET_PATTERN.source },
    wireMessage:
      "must map partition numbers to next offsets, both as decimal strings (e.g. { '0': '42' })",
  }),
  online: Type.Literal(true, { wireMessage: 'must be true' }),
});
export type HeartbeatDto = Static<typeof HeartbeatDto>;
