import type { AppliedPosition } from '@offline-sync/sync-core';
import type { Ship } from './entities/ship.entity';
import type { Watermarks } from './master-updates-watermarks';

export interface ShipView {
  id: string;
  status: string;
  lastSeenAt: string;
  lastHeartbeatAt: string;
  firstSeenAt: string;
  appVersion: string;
  /** Changes waiting to reach the broker (as the ship's latest heartbeat said). */
  queueDepth: number;
  /** Changes the broker has that wait for their outcome. */
  awaitingOutcome: number;
  failedCount: number;
  oldestPendingAgeMs: number | null;
  appliedPosition: AppliedPosition;
  /** master-updates messages the ship has not applied yet; null when Kafka could not be asked. */
  lag: number | null;
  /** Conflicts of this ship's changes that wait for an operator. */
  openConflicts: number;
}

/**
 * Lag = Σ over master-updates partitions of (high watermark − the ship's next offset). Every
 * message there is one master version, so this counts versions not yet applied (compaction can
 * only make it an over-estimate for a ship far behind).
 */
export function lagOf(position: AppliedPosition, high: Watermarks | null): number | null {
  if (!high) return null;
  let lag = 0n;
  for (const [partition, end] of Object.entries(high)) {
    const next = BigInt(position[partition] ?? '0');
    const behind = BigInt(end) - next;
    if (behind > 0n) lag += behind;
  }
  return Number(lag);
}

export function shipView(ship: Ship, high: Watermarks | null, openConflicts = 0): ShipView {
  return {
    id: ship.id,
    status: ship.status,
    lastSeenAt: ship.lastSeenAt.toISOString(),
    lastHeartbeatAt: ship.lastHeartbeatAt.toISOString(),
    firstSeenAt: ship.firstSeenAt.toISOString(),
    appVersion: ship.appVersion,
    queueDepth: ship.queueDepth,
    awaitingOutcome: ship.awaitingOutcome,
    failedCount: ship.failedCount,
    oldestPendingAgeMs: ship.oldestPendingAgeMs === null ? null : Number(ship.oldestPendingAgeMs),
    appliedPosition: ship.appliedPosition,
    lag: lagOf(ship.appliedPosition, high),
    openConflicts,
  };
}
