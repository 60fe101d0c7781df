import { Injectable, Logger } from '@nestjs/common';
import { backoffDelay, errorMessage } from '@offline-sync/sync-core';
import { MasterConfig } from '../core/config/master-config';

const MAX_BACKOFF_MS = 60_000;

/** How long the relay waits after `failures` failed attempts in a row, a lane's or a topic's. */
export function relayRetryDelay(config: MasterConfig, failures: number): number {
  return backoffDelay(failures, { initialMs: config.sync.retryDelayMs, maxMs: MAX_BACKOFF_MS });
}

/** A topic whose last send failed: the relay leaves its rows alone until `retryAt`. */
interface Backoff {
  failures: number;
  retryAt: number;
}

/**
 * Topics whose last send failed, each waiting out its own backoff while the other topics keep
 * going. A topic stays here until a send to it succeeds (or an operator's push clears them all).
 */
@Injectable()
export class TopicBackoffs {
  private readonly logger = new Logger('OutboxRelay');
  private readonly backoffs = new Map<string, Backoff>();

  constructor(private readonly config: MasterConfig) {}

  /** A send to the topic failed: it backs off a little longer than last time. */
  failed(topic: string, error: unknown): void {
    const failures = (this.backoffs.get(topic)?.failures ?? 0) + 1;
    const delay = relayRetryDelay(this.config, failures);
    this.backoffs.set(topic, { failures, retryAt: Date.now() + delay });
    this.logger.warn(
      `Outbox send to ${topic} failed (attempt ${failures}), retried in ${delay} ms: ${errorMessage(error)}`,
    );
  }

  /** Nothing of the topic is left to send (it went out, or was parked). */
  succeeded(topic: string): void {
    this.backoffs.delete(topic);
  }

  clear(): void {
    this.backoffs.clear();
  }

  /** Topics whose rows wait out a failed send. */
  backingOff(): string[] {
    const now = Date.now();
    return [...this.backoffs].filter(([, b]) => b.retryAt > now).map(([topic]) => topic);
  }

  /**
   * Time until the next topic backing off is due again (Infinity when none is). A topic already
   * due is in every pass (its failures are kept until a send to it succeeds).
   */
  untilRetry(): number {
    const now = Date.now();
    let until = Infinity;
    for (const { retryAt } of this.backoffs.values()) {
      if (retryAt > now) until = Math.min(until, retryAt - now);
    }
    return until;
  }
}
