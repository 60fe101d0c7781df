import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ConnectivityService } from '../connectivity/connectivity.service';
import { ShipConfig } from '../core/config/ship-config';
import { lastSyncAt } from '../core/database/last-sync-at';
import { SyncStatusService, type ShipSyncStatus } from '../sync-status/sync-status.service';
import { errorMessage } from '@offline-sync/sync-core';

/**
 * What the ship still owes the master and how far it has read from it: outbox backlog, inbound
 * position (with the lag behind the topic's end when the link answers) and the last successful
 * exchange. Informational: a backlog is the normal state of a ship at sea, so these stay `up`.
 */
@Injectable()
export class SyncBacklogHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly status: SyncStatusService,
    private readonly connectivity: ConnectivityService,
    private readonly config: ShipConfig,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    let now: ShipSyncStatus;
    try {
      now = await this.status.status();
    } catch (error) {
      // The database is away: readiness names it; here the backlog is simply unknown.
      return this.indicators.check('outbox').down({ message: errorMessage(error) });
    }
    const ends = await this.connectivity.topicEnds(this.config.topics.masterUpdates);
    return {
      ...this.indicators.check('outbox').up({
        pending: now.pending,
        failed: now.failed,
        awaitingOutcome: now.awaitingOutcome,
        oldestPendingAgeSeconds:
          now.oldestPendingAgeMs === null ? null : Math.round(now.oldestPendingAgeMs / 1000),
      }),
      ...this.indicators.check('inbound').up({
        consumer: now.inboundConsumer,
        position: now.appliedPosition,
        lag: ends ? lagBehind(ends, now.appliedPosition) : null,
      }),
      ...this.indicators.check('sync').up({
        lastSyncAt: lastSyncAt({
          last_push_at: now.lastPushAt ?? undefined,
          last_pull_at: now.lastPullAt ?? undefined,
          last_outcome_at: now.lastOutcomeAt ?? undefined,
        }),
        lastPushAt: now.lastPushAt,
        lastPullAt: now.lastPullAt,
        lastOutcomeAt: now.lastOutcomeAt,
        lastHeartbeatAt: now.lastHeartbeatAt,
      }),
    };
  }
}

/** Messages on the topic not applied yet: topic end minus applied position, over partitions. */
export function lagBehind(ends: Record<string, string>, applied: Record<string, string>): number {
  let lag = 0n;
  for (const [partition, end] of Object.entries(ends)) {
    const behind = BigInt(end) - BigInt(applied[partition] ?? '0');
    if (behind > 0n) lag += behind;
  }
  return Number(lag);
}
