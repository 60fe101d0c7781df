import { Injectable, Logger } from '@nestjs/common';
import { errorMessage } from '@offline-sync/sync-core';
import { MasterConfig } from '../core/config/master-config';
import type { OutboxKind } from './entities/outbox-message.entity';
import { relayRetryDelay, TopicBackoffs } from './topic-backoff';

/**
 * One of the relay's two lanes, each with its own loop and lock: master updates, and the ships'
 * outcomes (one topic per ship). They share no topic, so neither waits for the other's sends, and
 * two replicas may each run one. One pass of a lane at a time across replicas, so each topic's
 * messages keep their order.
 */
export interface Lane {
  name: string;
  kind: OutboxKind;
  lock: number;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  /** Something is left to send at once when the running pass ends. */
  again: boolean;
  failures: number;
}

/** Sends what is pending in a lane (until nothing is left but rows of topics backing off). */
export type LanePass = (lane: Lane) => Promise<void>;

const MASTER_UPDATES_LOCK = 727_002;
const OUTCOMES_LOCK = 727_006;

/**
 * When each lane of the relay runs: at once after a kick, every outbox poll interval otherwise,
 * sooner when a topic's backoff ends, and after a failed pass with a growing backoff.
 */
@Injectable()
export class OutboxLanes {
  private readonly logger = new Logger('OutboxRelay');
  readonly all: Lane[] = [
    lane('master updates', 'master-update', MASTER_UPDATES_LOCK),
    lane('outcomes', 'change-outcomes', OUTCOMES_LOCK),
  ];
  private pass: LanePass | null = null;
  private stopped = false;

  constructor(
    private readonly config: MasterConfig,
    private readonly backoffs: TopicBackoffs,
  ) {}

  /** Each lane's first pass, at once. */
  start(pass: LanePass): void {
    this.pass = pass;
    for (const lane of this.all) this.schedule(lane, 0);
  }

  /** No pass starts any more; the passes running end. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const lane of this.all) if (lane.timer) clearTimeout(lane.timer);
    await Promise.all(this.all.map((lane) => lane.running ?? Promise.resolve()));
  }

  /** Rows were written: each lane runs at once, or again once its pass in hand ends. */
  kick(): void {
    if (this.stopped) return;
    for (const lane of this.all) {
      if (lane.running) {
        lane.again = true;
      } else if (lane.failures === 0) {
        this.schedule(lane, 0);
      }
    }
  }

  /** Lanes waiting out a failed pass are tried again at once. */
  retryNow(): void {
    for (const lane of this.all) lane.failures = 0;
    this.kick();
  }

  private schedule(lane: Lane, delayMs: number): void {
    if (this.stopped) return;
    if (lane.timer) clearTimeout(lane.timer);
    lane.timer = setTimeout(() => void this.tick(lane), delayMs);
  }

  private async tick(lane: Lane): Promise<void> {
    lane.timer = null;
    if (lane.running || this.stopped || !this.pass) return;
    lane.running = this.pass(lane).then(
      () => {
        lane.failures = 0;
      },
      (error: unknown) => {
        lane.failures += 1;
        this.logger.warn(
          `Outbox relay (${lane.name}) failed (attempt ${lane.failures}): ${errorMessage(error)}`,
        );
      },
    );
    await lane.running;
    lane.running = null;
    const delay =
      lane.failures > 0
        ? relayRetryDelay(this.config, lane.failures)
        : lane.again
          ? 0
          : Math.min(this.config.sync.outboxPollIntervalMs, this.backoffs.untilRetry());
    lane.again = false;
    this.schedule(lane, delay);
  }
}

function lane(name: string, kind: OutboxKind, lock: number): Lane {
  return { name, kind, lock, timer: null, running: null, again: false, failures: 0 };
}
