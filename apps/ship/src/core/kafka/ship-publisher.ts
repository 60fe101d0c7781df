import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { EnvelopePublisher, type OutgoingEnvelope } from '@offline-sync/sync-core';
import type { RecordMetadata } from 'kafkajs';
import { ShipConfig } from '../config/ship-config';

/**
 * The ship's one Kafka producer (idempotent, gzip), shared by the relay and the heartbeat. It
 * connects on first use, never at start-up: a ship without a link must still start.
 *
 * One publish takes a bounded time: kafkajs on its own retries a dead link (reconnects, metadata
 * refreshes, its own backoff) for minutes, so the relay's SYNC_RETRY_ATTEMPTS would never run out
 * and rows could never become `failed`. Past the deadline the send counts as failed; the producer
 * is dropped (a fresh one next time: no half-open connection lingers), and the envelope is later
 * re-sent with the very same bytes, which the master recognises if the abandoned try got through.
 */
@Injectable()
export class ShipPublisher extends EnvelopePublisher implements OnApplicationShutdown {
  /** The longest one publish may take: a connect plus one request, with little retrying. */
  readonly deadlineMs: number;

  constructor(config: ShipConfig) {
    const connectionTimeout = config.kafka.connectionTimeout ?? 10_000;
    const requestTimeout = config.kafka.requestTimeout ?? 30_000;
    const deadlineMs = connectionTimeout + requestTimeout;
    super({
      kafka: {
        ...config.kafka,
        retry: { retries: 2, initialRetryTime: 300, maxRetryTime: connectionTimeout },
      },
      compression: config.compression,
      sendTimeoutMs: requestTimeout,
    });
    this.deadlineMs = deadlineMs;
  }

  override async publish(topic: string, envelopes: OutgoingEnvelope[]): Promise<RecordMetadata[]> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no acknowledgement from Kafka within ${this.deadlineMs} ms`)),
        this.deadlineMs,
      );
    });
    const sending = super.publish(topic, envelopes);
    try {
      return await Promise.race([sending, deadline]);
    } catch (error) {
      sending.catch(() => undefined); // the abandoned try may still settle; nothing waits for it
      // Not awaited: a producer stuck on a dead link may take its time to let go.
      void this.disconnect();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.disconnect();
  }
}
