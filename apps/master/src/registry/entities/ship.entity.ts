import type { AppliedPosition } from '@offline-sync/sync-core';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ShipStatus = 'online' | 'offline';

/** A ship as its heartbeats describe it. */
@Entity({ name: 'ships' })
export class Ship {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  status!: ShipStatus;

  @Column({ name: 'app_version', type: 'text' })
  appVersion!: string;

  @Column({ name: 'queue_depth', type: 'integer' })
  queueDepth!: number;

  @Column({ name: 'failed_count', type: 'integer' })
  failedCount!: number;

  @Column({ name: 'oldest_pending_age_ms', type: 'bigint', nullable: true })
  oldestPendingAgeMs!: string | null;

  /** Changes the ship sent that have no outcome yet (as its latest heartbeat said). */
  @Column({ name: 'awaiting_outcome', type: 'integer' })
  awaitingOutcome!: number;

  /** The latest heartbeat's sequence: an older or replayed heartbeat moves nothing. */
  @Column({ name: 'heartbeat_seq', type: 'bigint', nullable: true })
  heartbeatSeq!: string | null;

  @Column({ name: 'applied_position', type: 'jsonb' })
  appliedPosition!: AppliedPosition;

  /** The ship's own clock at its latest heartbeat. */
  @Column({ name: 'last_heartbeat_at', type: 'timestamptz' })
  lastHeartbeatAt!: Date;

  /** The master's clock when that heartbeat arrived: what the offline sweep compares. */
  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  @Column({ name: 'first_seen_at', type: 'timestamptz' })
  firstSeenAt!: Date;

  @Column({ name: 'status_changed_at', type: 'timestamptz' })
  statusChangedAt!: Date;

  /** The largest lead of the ship's clock over the master's shown by its heartbeats since… */
  @Column({ name: 'clock_lead_ms', type: 'bigint', nullable: true })
  clockLeadMs!: string | null;

  /** …this time (a window of ten minutes, on the master's clock). */
  @Column({ name: 'clock_lead_since', type: 'timestamptz', nullable: true })
  clockLeadSince!: Date | null;
}
