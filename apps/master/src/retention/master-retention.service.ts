import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MasterConfig } from '../core/config/master-config';
import { purgeMasterHistory, type MasterPurgeCounts } from './master-purge';
import { errorMessage } from '@offline-sync/sync-core';

/** Held for a whole purge; the replica that gets it purges, the others skip that round. */
const RETENTION_LOCK = 727_005;

/**
 * Purges settled history older than SYNC_RETENTION_DAYS every SYNC_RETENTION_INTERVAL
 * (purgeMasterHistory). Every replica's timer fires, but one replica at a time purges: a
 * session-level PostgreSQL advisory lock held across the purge's short transactions. The horizon
 * is computed by the database's clock, so replicas' clocks do not matter.
 */
@Injectable()
export class MasterRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MasterRetention.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: MasterConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.run()
        .catch((error: unknown) =>
          this.logger.warn(
            `Purge of settled history failed (retried next time): ${errorMessage(error)}`,
          ),
        )
        .finally(() => {
          this.running = null;
        });
    }, this.config.retention.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Purges what is older than the horizon; null when another replica is purging. */
  async run(): Promise<MasterPurgeCounts | null> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [
        RETENTION_LOCK,
      ])) as [{ locked: boolean }];
      if (!locked) return null;
      try {
        const [{ cutoff }] = (await runner.query(
          'SELECT (now() - make_interval(days => $1))::text AS cutoff',
          [this.config.retention.days],
        )) as [{ cutoff: string }];
        const counts = await purgeMasterHistory(runner, cutoff, {
          stopped: () => this.stopping,
        });
        if (Object.values(counts).some((count) => count > 0)) {
          this.logger.log({ msg: `Purged settled history older than ${cutoff}`, ...counts });
        }
        return counts;
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }
}
