import { Injectable, Logger } from '@nestjs/common';
import { ShipClock } from '../core/clock/ship-clock';
import { ShipConfig } from '../core/config/ship-config';
import { ShipPublisher } from '../core/kafka/ship-publisher';
import { ShipMetrics } from '../metrics/ship-metrics.service';
import { SendCancelledError, SendFailedError, sendWithRetry } from './send-retry.policy';
import type { OutboxEnvelope } from './sync-envelopes.table';
import { errorMessage } from '@offline-sync/sync-core';

/** How a send ended: the broker has it, shutdown cut its retries short, or every try failed. */
export type PublishResult =
  | { status: 'sent'; tries: number }
  | { status: 'cancelled' }
  | { status: 'failed'; tries: number; reason: string };

/**
 * Sends a group of sealed envelopes to ship-updates in one produce request, retried
 * SYNC_RETRY_ATTEMPTS times with exponential backoff and jitter.
 */
@Injectable()
export class EnvelopePublisher {
  private readonly logger = new Logger('RelayService');

  constructor(
    private readonly config: ShipConfig,
    private readonly publisher: ShipPublisher,
    private readonly metrics: ShipMetrics,
    private readonly clock: ShipClock,
  ) {}

  /** Resolves once the broker confirmed the group, the tries ran out or `signal` cut them short. */
  async publish(group: readonly OutboxEnvelope[], signal: AbortSignal): Promise<PublishResult> {
    const changeCount = countChanges(group);
    const started = Date.now();
    let tries = 0;
    try {
      await sendWithRetry(
        async () => {
          tries += 1;
          const stop = this.metrics.sendDuration.startTimer();
          // The ship's clock at this very send: with it the master measures how far the clock
          // runs ahead, however long the envelope waited since it was sealed.
          const sentAt = this.clock.nowMs();
          await this.publisher.publish(
            this.config.topics.shipUpdates,
            group.map((e) => ({ key: this.config.shipId, encoded: e.body, sentAt })),
          );
          stop();
        },
        {
          retryAttempts: this.config.sync.retryAttempts,
          retryDelayMs: this.config.sync.retryDelayMs,
          signal,
          onRetry: ({ attempt, delayMs, error }) =>
            this.logger.warn(
              `Sending ${changeCount} change(s) failed (try ${attempt}), retrying in ${delayMs} ms: ${errorMessage(error)}`,
            ),
        },
      );
      this.logger.debug(
        `Broker acknowledged ${changeCount} change(s) in ${group.length} envelope(s) after ${Date.now() - started} ms`,
      );
      return { status: 'sent', tries };
    } catch (error) {
      // Cancelled by shutdown: the envelope stays pending and is re-sent as it is after restart.
      if (error instanceof SendCancelledError) return { status: 'cancelled' };
      const reason = errorMessage(error instanceof SendFailedError ? error.cause : error);
      return { status: 'failed', tries, reason };
    }
  }
}

export function countChanges(group: readonly Pick<OutboxEnvelope, 'changeCount'>[]): number {
  return group.reduce((sum, e) => sum + e.changeCount, 0);
}
