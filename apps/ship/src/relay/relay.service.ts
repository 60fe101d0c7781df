import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { ConnectivityService } from '../connectivity/connectivity.service';
import { ShipConfig } from '../core/config/ship-config';
import { EnvelopeMarks } from './envelope-marks';
import { EnvelopePublisher } from './envelope-publisher';
import { EnvelopeSealer } from './envelope-sealer';
import { FailedRequeue } from './failed-requeue';
import { OutcomeReaskService } from './outcome-reask.service';
import { SendLine } from './send-line';
import { errorMessage } from '@offline-sync/sync-core';

export interface FlushOptions {
  /** Also re-send envelopes that exhausted their retries (reconnect, POST push). */
  retryFailed?: boolean;
}

/**
 * Sends the outbox to ship-updates when the link is up.
 *
 * - Rows are claimed in write order into envelopes of SYNC_BATCH_SIZE changes, signed and stored
 *   before the first send (EnvelopeSealer): every retry sends those very bytes.
 * - Envelopes go out strictly in seq order (SendLine): a failed envelope holds the ones behind it
 *   until it is retried (on reconnect or POST push: FailedRequeue).
 * - A send is retried SYNC_RETRY_ATTEMPTS times with exponential backoff and jitter
 *   (EnvelopePublisher); then its rows become `failed`, stay visible, and are never dropped
 *   (EnvelopeMarks).
 * - Writes start a flush after SYNC_DEBOUNCE_MS, so a burst of edits shares envelopes.
 */
@Injectable()
export class RelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RelayService.name);
  private readonly abort = new AbortController();
  private debounceTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private loop: Promise<void> | null = null;
  private wanted = false;
  private retryFailedWanted = false;
  private stopped = false;
  private subscription: Subscription | null = null;

  constructor(
    private readonly config: ShipConfig,
    private readonly connectivity: ConnectivityService,
    private readonly reask: OutcomeReaskService,
    private readonly sealer: EnvelopeSealer,
    private readonly line: SendLine,
    private readonly publisher: EnvelopePublisher,
    private readonly marks: EnvelopeMarks,
    private readonly failed: FailedRequeue,
  ) {}

  onApplicationBootstrap(): void {
    // The link came back: send everything, failed rows included.
    this.subscription = this.connectivity.changes.subscribe((transition) => {
      if (transition.to === 'online') void this.flush({ retryFailed: true });
    });
    // A safety net for anything a trigger missed; cheap when the outbox is empty.
    this.pollTimer = setInterval(
      () => {
        if (this.connectivity.isOnline()) void this.flush();
      },
      Math.max(1000, this.config.sync.connectivityCheckIntervalMs),
    );
    this.pollTimer.unref();
  }

  /** Finishes the send in hand (its waits for a retry are cut short), then stops. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.abort.abort();
    await this.loop?.catch(() => undefined);
  }

  /** Called after each committed write: flushes once SYNC_DEBOUNCE_MS has passed. */
  notifyWrite(): void {
    if (this.debounceTimer || this.stopped) return;
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      void this.flush();
    }, this.config.sync.debounceMs);
    this.debounceTimer.unref();
  }

  /** Sends what can be sent now; resolves when a pass that started after this call is done. */
  flush(options: FlushOptions = {}): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (options.retryFailed) this.retryFailedWanted = true;
    this.wanted = true;
    this.loop ??= this.runLoop().finally(() => {
      this.loop = null;
    });
    return this.loop;
  }

  private async runLoop(): Promise<void> {
    while (this.wanted && !this.stopped) {
      this.wanted = false;
      const retryFailed = this.retryFailedWanted;
      this.retryFailedWanted = false;
      try {
        await this.drain(retryFailed);
      } catch (error) {
        this.logger.error(`Relay pass failed: ${errorMessage(error)}`);
      }
    }
  }

  /**
   * Sends sealed envelopes a produce request at a time, oldest first, and keeps the link busy:
   * while one request is on its way (a round trip or more over a satellite) queued rows are
   * sealed and the next request is read, so it leaves the moment the broker has acknowledged the
   * one before; the acknowledged envelopes are marked sent meanwhile. Nothing waits for a request
   * to fill: a lone edit goes at once, and a backlog's requests grow to the budget as sealing
   * keeps ahead of the link.
   */
  private async drain(retryFailed: boolean): Promise<void> {
    if (!this.connectivity.isOnline()) return; // rows wait; the reconnect starts a flush
    if (retryFailed) await this.failed.requeue();
    await this.reask.sealDue();
    let group = await this.line.next(null);
    if (group === null) return; // a failed envelope holds the line until it is retried
    if (group.length === 0) {
      await this.sealer.claim();
      group = await this.line.next(null);
    }
    // Marking sent runs behind the next send (the broker already has those envelopes).
    const marks: Promise<void>[] = [];
    try {
      while (group?.length && !this.stopped) {
        const publishing = this.publisher.publish(group, this.abort.signal);
        await this.sealWhile(publishing);
        // Only envelopes behind the ones in flight: those are still pending until marked.
        const next = await this.line.next(group[group.length - 1].firstSeq);
        const result = await publishing;
        if (result.status === 'cancelled') return;
        if (result.status === 'failed') {
          await this.marks.failed(group, result.tries, result.reason);
          return;
        }
        const mark = this.marks.sent(group, result.tries);
        mark.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
        marks.push(mark);
        // The link went down under the relay: what is sealed waits for the reconnect's flush.
        if (!this.connectivity.isOnline()) return;
        group = next;
      }
    } finally {
      await Promise.all(marks);
    }
  }

  /**
   * Seals up to one more request's worth of queued rows while `sending` is in flight; returns
   * how many rows it sealed.
   */
  private async sealWhile(sending: Promise<unknown>): Promise<number> {
    let inFlight = true;
    const settled = (): void => {
      inFlight = false;
    };
    sending.then(settled, settled);
    const enough = this.line.budget.maxEnvelopes * this.config.sync.batchSize;
    let sealed = 0;
    while (inFlight && !this.stopped && sealed < enough) {
      const claimed = await this.sealer.claim();
      sealed += claimed.rows;
      if (!claimed.more) break;
    }
    return sealed;
  }
}
