import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ShipConfig } from '../core/config/ship-config';
import { ShipDatabase } from '../core/database/ship-database.service';
import { DeadLettersRepository } from '../dead-letters/dead-letters.repository';
import { OutboxChangesRepository } from '../outbox/outbox-changes.repository';
import { EnvelopesRepository } from '../relay/envelopes.repository';
import { purgeShipHistory, type ShipHistoryOwners, type ShipPurgeCounts } from './ship-purge';
import { errorMessage } from '@offline-sync/sync-core';

const DAY_MS = 24 * 3600_000;

/**
 * Purges the ship's settled history older than SYNC_RETENTION_DAYS every SYNC_RETENTION_INTERVAL
 * (purgeShipHistory), so a ship at sea for months does not fill its disk with sync history.
 * A pass in hand stops between batches at shutdown.
 */
@Injectable()
export class ShipRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ShipRetention.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopping = false;
  private readonly owners: ShipHistoryOwners;

  constructor(
    private readonly config: ShipConfig,
    private readonly db: ShipDatabase,
    changes: OutboxChangesRepository,
    envelopes: EnvelopesRepository,
    deadLetters: DeadLettersRepository,
  ) {
    this.owners = { changes, envelopes, deadLetters };
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.purge()
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

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Purges what is older than the horizon as of `now`; returns what it deleted. */
  async purge(now = new Date()): Promise<ShipPurgeCounts> {
    const cutoff = new Date(now.getTime() - this.config.retention.days * DAY_MS).toISOString();
    const counts = await purgeShipHistory(this.db, this.owners, cutoff, {
      stopped: () => this.stopping,
    });
    if (counts.changes + counts.envelopes + counts.deadLetters > 0) {
      this.logger.log({
        msg: `Purged settled history older than ${cutoff}: ${counts.changes} queue row(s), ${counts.envelopes} envelope(s), ${counts.deadLetters} dead letter(s)`,
        ...counts,
      });
    }
    return counts;
  }
}
