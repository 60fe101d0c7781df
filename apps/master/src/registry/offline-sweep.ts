import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { MasterConfig } from '../core/config/master-config';
import { MasterMetric } from '../metrics/master-metrics';

/** Held for one sweep; the replica that gets it sweeps, the others skip that round. */
const SWEEP_LOCK = 727_004;
/** Ships named in the log line of a sweep (a fleet-wide outage flips thousands at once). */
const LOGGED_SHIPS = 20;

/**
 * Marks ships offline when their last heartbeat arrived more than SYNC_SHIP_OFFLINE_AFTER ago.
 * Runs on every replica's timer but sweeps on exactly one at a time (pg_try_advisory_xact_lock),
 * and compares against the database's clock, so replicas' clocks do not matter.
 */
@Injectable()
export class OfflineSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OfflineSweep.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: MasterConfig,
    @InjectMetric(MasterMetric.OfflineSweepSeconds) private readonly duration: Histogram<string>,
  ) {}

  /** A quarter of the offline threshold (at most 15 s): a silent ship flips soon after. */
  get intervalMs(): number {
    return Math.min(15_000, Math.max(250, Math.floor(this.config.sync.shipOfflineAfterMs / 4)));
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .catch((error: unknown) => this.logger.warn(`Offline sweep failed: ${String(error)}`))
        .finally(() => {
          this.running = null;
        });
    }, this.intervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Returns the ships flipped offline, or null when another replica holds the sweep. */
  async sweep(): Promise<string[] | null> {
    const started = process.hrtime.bigint();
    const flipped = await this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query<[{ locked: boolean }]>(
        'SELECT pg_try_advisory_xact_lock($1) AS locked',
        [SWEEP_LOCK],
      );
      if (!locked) return null;
      const [rows] = await manager.query<[Array<{ id: string }>, number]>(
        `UPDATE ships SET status = 'offline', status_changed_at = now()
          WHERE status = 'online' AND last_seen_at < now() - $1 * interval '1 millisecond'
          RETURNING id`,
        [this.config.sync.shipOfflineAfterMs],
      );
      return rows.map((r) => r.id);
    });
    if (flipped === null) return null;
    this.duration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    if (flipped.length > 0) {
      const named = flipped.slice(0, LOGGED_SHIPS).join(', ');
      const more =
        flipped.length > LOGGED_SHIPS ? ` and ${flipped.length - LOGGED_SHIPS} more` : '';
      this.logger.log(`${flipped.length} ships now offline: ${named}${more}`);
    }
    return flipped;
  }
}
