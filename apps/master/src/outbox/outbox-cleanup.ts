import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Sent rows are kept this long for operators (GET queue), then removed. */
const KEEP_SENT_MS = 24 * 3600_000;
const EVERY_MS = 10 * 60_000;
const CHUNK = 10_000;

/**
 * Removes acknowledged outbox rows after a day, in chunks, so the table (and the relay's index)
 * does not grow with every version ever written. Pending rows are never touched. Idempotent, so
 * replicas may run it at the same time.
 */
@Injectable()
export class OutboxCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxCleanup.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.run()
        .catch((error: unknown) => this.logger.warn(`Outbox cleanup failed: ${String(error)}`))
        .finally(() => {
          this.running = null;
        });
    }, EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Deletes sent rows older than `keepMs`; returns how many. */
  async run(keepMs = KEEP_SENT_MS): Promise<number> {
    let removed = 0;
    for (;;) {
      const [, count] = await this.dataSource.query<[unknown[], number]>(
        `DELETE FROM outbox WHERE id IN (
           SELECT id FROM outbox
            WHERE status = 'sent' AND sent_at < now() - $1 * interval '1 millisecond'
            LIMIT $2)`,
        [keepMs, CHUNK],
      );
      removed += count;
      if (count < CHUNK) return removed;
    }
  }
}
