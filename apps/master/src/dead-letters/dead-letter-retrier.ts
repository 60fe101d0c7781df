import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MasterConfig } from '../core/config/master-config';
import { DeadLettersService } from './dead-letters.service';

/** One retrier at a time across replicas, so a letter is never re-run twice at once. */
const RETRIER_LOCK = 727_003;
const PER_PASS = 50;

/**
 * Retries due dead letters with backoff (SYNC_RETRY_DELAY doubling per attempt) until they go
 * through or reach SYNC_RETRY_ATTEMPTS, after which they stay `exhausted` for an operator.
 */
@Injectable()
export class DeadLetterRetrier implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeadLetterRetrier.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deadLetters: DeadLettersService,
    private readonly config: MasterConfig,
  ) {}

  onApplicationBootstrap(): void {
    const every = Math.min(5000, Math.max(100, Math.floor(this.config.sync.retryDelayMs / 2)));
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.pass()
        .then(() => undefined)
        .catch((error: unknown) =>
          this.logger.warn(`Dead-letter retry pass failed: ${String(error)}`),
        )
        .finally(() => {
          this.running = null;
        });
    }, every);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Retries what is due now, under the cluster-wide lock; returns how many were tried. */
  async pass(): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        RETRIER_LOCK,
      ])) as [{ locked: boolean }];
      if (!locked) return 0;
      const due = await this.deadLetters.due(runner.manager, PER_PASS);
      for (const letter of due) await this.deadLetters.attempt(letter);
      return due.length;
    } finally {
      if (runner.isTransactionActive) await runner.commitTransaction().catch(() => undefined);
      await runner.release();
    }
  }
}
