import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import type { Subscription } from 'rxjs';
import { ConnectivityService } from '../connectivity/connectivity.service';
import { ShipConfig } from '../core/config/ship-config';
import { ShipDatabase } from '../core/database/ship-database.service';
import { InboxPositionsRepository } from './inbox-positions.repository';
import { ShipInboxServer, type InboxConsumerState } from './ship-inbox.server';

export type CatchUpFrom = 'stored' | 'beginning';

/**
 * A running consumer silent this long while the link is up is restarted: far beyond a fetch
 * (SYNC_* waits of seconds), a request timeout (30 s) or a group join over a satellite link.
 */
export const INBOUND_QUIET_LIMIT_MS = 120_000;

export interface CatchUpResult {
  consumer: InboxConsumerState;
  /** Where each master-updates partition was sent (partition → offset); empty when not running. */
  seekedTo: Record<string, string>;
}

/**
 * Keeps the inbound consumer running whenever the link is up (restarting one that went silent),
 * and performs forced catch-ups (POST /api/offline-sync/pull): seek to the positions stored in
 * the ship's database, or re-read master-updates from its beginning (applying by version makes
 * that harmless).
 */
@Injectable()
export class InboxCatchUpService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InboxCatchUpService.name);
  private subscription: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: ShipConfig,
    private readonly server: ShipInboxServer,
    private readonly positions: InboxPositionsRepository,
    private readonly db: ShipDatabase,
    private readonly connectivity: ConnectivityService,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.connectivity.changes.subscribe((transition) => {
      if (transition.to === 'online') void this.server.ensureRunning();
    });
    this.timer = setInterval(() => {
      if (!this.connectivity.isOnline()) return;
      if (!this.server.restartIfQuiet(INBOUND_QUIET_LIMIT_MS)) void this.server.ensureRunning();
    }, this.config.sync.connectivityCheckIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
    if (this.timer) clearInterval(this.timer);
  }

  async catchUp(from: CatchUpFrom): Promise<CatchUpResult> {
    const consumer = this.server.getConsumer();
    if (this.server.consumerState() !== 'running' || !consumer) {
      // Starting seeks to the stored positions by itself.
      void this.server.ensureRunning();
      return { consumer: this.server.consumerState(), seekedTo: {} };
    }
    const topic = this.config.topics.masterUpdates;
    const stored = new Map(
      (await this.db.read((tx) => this.positions.load(tx)))
        .filter((p) => p.topic === topic)
        .map((p) => [p.partition, p.offset] as const),
    );
    const admin = new Kafka({ ...this.config.kafka, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const seekedTo: Record<string, string> = {};
      for (const { partition, low } of await admin.fetchTopicOffsets(topic)) {
        const offset = from === 'beginning' ? low : (stored.get(partition) ?? low);
        consumer.seek({ topic, partition, offset });
        seekedTo[String(partition)] = offset;
      }
      this.logger.log(`Catch-up from ${from}: ${JSON.stringify(seekedTo)}`);
      return { consumer: 'running', seekedTo };
    } finally {
      await admin.disconnect();
    }
  }
}
