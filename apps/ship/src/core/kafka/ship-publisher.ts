import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { EnvelopePublisher } from '@offline-sync/sync-core';
import { ShipConfig } from '../config/ship-config';

/**
 * The ship's one Kafka producer (idempotent, gzip), shared by the relay and the heartbeat. It
 * connects on first use, never at start-up: a ship without a link must still start.
 */
@Injectable()
export class ShipPublisher extends EnvelopePublisher implements OnApplicationShutdown {
  constructor(config: ShipConfig) {
    super({
      kafka: { ...config.kafka, retry: { retries: 2, initialRetryTime: 300 } },
      compression: config.compression,
      sendTimeoutMs: 30_000,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.disconnect();
  }
}
