import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Subject, type Observable } from 'rxjs';
import { ShipConfig } from '../core/config/ship-config';
import { isoNow } from '../core/database/iso-now';
import { ShipPublisher } from '../core/kafka/ship-publisher';
import { ShipMetrics } from '../metrics/ship-metrics.service';
import {
  INITIAL_LINK_STATUS,
  nextLinkStatus,
  type LinkStatus,
  type LinkTransition,
  type ProbeResult,
} from './link-state';
import { errorMessage } from '@offline-sync/sync-core';

/**
 * Longest one probe may take, whatever the check interval (a probe still under way is joined, not
 * repeated): a dead satellite link must not stall the checks, and a live one needs a few round
 * trips of 600 ms when the probe's connection is new (bounded by the interval, a 2 s interval
 * took a busy, just restored link for down again every other check).
 */
const MAX_PROBE_MS = 5000;

/**
 * Longest the probe of an offline ship may take: it readies the producer (a connection, the
 * producer id, the topics' metadata: 3-4 round trips, ~2.4 s over a satellite), and a slow answer
 * only delays noticing the link's return, never its loss.
 */
const WARM_UP_PROBE_MS = 8000;

/**
 * Probes the broker every SYNC_CONNECTIVITY_CHECK_INTERVAL (a metadata request with a short
 * timeout), logs and exports online/offline transitions, and tells subscribers (relay, inbox,
 * heartbeat) when the link comes back. Probing starts after bootstrap and never blocks it.
 * While the link is down the probe is the producer's own connection (ShipPublisher.warmUp): when
 * it succeeds the link is up and the relay's first send needs no handshakes.
 */
@Injectable()
export class ConnectivityService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ConnectivityService.name);
  private readonly kafka: Kafka;
  private readonly probeTimeoutMs: number;
  private readonly transitions = new Subject<LinkTransition>();
  private status: LinkStatus = INITIAL_LINK_STATUS;
  private admin: Admin | null = null;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<LinkStatus> | null = null;
  private stopped = false;

  constructor(
    private readonly config: ShipConfig,
    private readonly metrics: ShipMetrics,
    private readonly publisher: ShipPublisher,
  ) {
    this.probeTimeoutMs = MAX_PROBE_MS;
    this.kafka = new Kafka({
      ...config.kafka,
      clientId: `${config.kafka.clientId ?? 'offline-sync'}-link-probe`,
      connectionTimeout: Math.min(config.kafka.connectionTimeout ?? 10_000, this.probeTimeoutMs),
      requestTimeout: this.probeTimeoutMs,
      retry: { retries: 0 },
      // Failures are the expected state of an offline ship; transitions are logged here instead.
      logLevel: logLevel.NOTHING,
    });
  }

  /** Online/offline transitions, as they happen. */
  get changes(): Observable<LinkTransition> {
    return this.transitions.asObservable();
  }

  isOnline(): boolean {
    return this.status.state === 'online';
  }

  current(): LinkStatus {
    return this.status;
  }

  onApplicationBootstrap(): void {
    void this.checkNow();
    this.timer = setInterval(
      () => void this.checkNow(),
      this.config.sync.connectivityCheckIntervalMs,
    );
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.transitions.complete();
    await this.dropAdmin();
  }

  /** Probes now (joining a probe already under way) and returns the resulting status. */
  checkNow(): Promise<LinkStatus> {
    this.checking ??= this.check().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async check(): Promise<LinkStatus> {
    const probe = await this.probe();
    if (this.stopped) return this.status;
    const { status, transition } = nextLinkStatus(this.status, probe, isoNow());
    this.status = status;
    if (transition) {
      this.metrics.setOnline(transition.to === 'online');
      this.metrics.connectivityTransitions.inc({ to: transition.to });
      if (transition.to === 'online') {
        this.logger.log(`Link to the broker is up (was ${transition.from})`);
      } else {
        this.logger.warn(
          `Link to the broker is down (was ${transition.from}): ${status.lastError}`,
        );
      }
      this.transitions.next(transition);
    }
    return this.status;
  }

  /**
   * The next offset to be written per partition of `topic` (partition → offset), asked over the
   * probe's connection within the probe's time limit; null while offline or when the broker does
   * not answer in time (health detail then shows the position without a lag).
   */
  async topicEnds(topic: string): Promise<Record<string, string> | null> {
    if (!this.isOnline() || this.stopped) return null;
    let timeout: NodeJS.Timeout | undefined;
    try {
      const admin = (this.admin ??= this.kafka.admin({ retry: { retries: 0 } }));
      const offsets = await Promise.race([
        (async () => {
          await admin.connect();
          return admin.fetchTopicOffsets(topic);
        })(),
        new Promise<never>((_, reject) => {
          timeout = setTimeout(() => reject(new Error('timed out')), this.probeTimeoutMs);
        }),
      ]);
      return Object.fromEntries(offsets.map((o) => [String(o.partition), o.high]));
    } catch {
      return null;
    } finally {
      clearTimeout(timeout);
    }
  }

  private async probe(): Promise<ProbeResult> {
    if (!this.isOnline()) return this.warmUpProbe();
    let timeout: NodeJS.Timeout | undefined;
    try {
      const admin = (this.admin ??= this.kafka.admin({ retry: { retries: 0 } }));
      await Promise.race([
        (async () => {
          await admin.connect();
          await admin.describeCluster();
        })(),
        new Promise<never>((_, reject) => {
          timeout = setTimeout(
            () => reject(new Error(`no answer within ${this.probeTimeoutMs} ms`)),
            this.probeTimeoutMs,
          );
        }),
      ]);
      return { ok: true };
    } catch (error) {
      // A fresh client next time: kafkajs may keep a half-open connection after a failure.
      await this.dropAdmin();
      return { ok: false, error: errorMessage(error) };
    } finally {
      clearTimeout(timeout);
    }
  }

  private async warmUpProbe(): Promise<ProbeResult> {
    try {
      await this.publisher.warmUp(WARM_UP_PROBE_MS);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: errorMessage(error) };
    }
  }

  private async dropAdmin(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    if (admin) await admin.disconnect().catch(() => undefined);
  }
}
