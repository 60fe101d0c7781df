import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  BackgroundThread,
  ThreadedEnvelopePublisher,
  type OutgoingEnvelope,
} from '@offline-sync/sync-core';
import { ShipConfig } from '../config/ship-config';

/**
 * The ship's one Kafka producer (idempotent, gzip), shared by the relay and the heartbeat, on a
 * background thread (ThreadedEnvelopePublisher, on the ship's BackgroundThread: the ship's SQLite
 * work runs on the event loop). It
 * connects on first use, never at start-up: a ship without a link must still start.
 *
 * One publish takes a bounded time: kafkajs on its own retries a dead link (reconnects, metadata
 * refreshes, its own backoff) for minutes, so the relay's SYNC_RETRY_ATTEMPTS would never run out
 * and rows could never become `failed`. Past the deadline the send counts as failed; the producer
 * is dropped (a fresh one next time: no half-open connection lingers), and the envelope is later
 * re-sent with the very same bytes, which the master recognises if the abandoned try got through.
 */
@Injectable()
export class ShipPublisher extends ThreadedEnvelopePublisher implements OnApplicationShutdown {
  /** The longest one publish may take: a connect plus one request, with little retrying. */
  readonly deadlineMs: number;
  private readonly topics: ShipConfig['topics'];

  constructor(config: ShipConfig, thread: BackgroundThread) {
    const connectionTimeout = config.kafka.connectionTimeout ?? 10_000;
    const requestTimeout = config.kafka.requestTimeout ?? 30_000;
    const deadlineMs = connectionTimeout + requestTimeout;
    super(
      {
        kafka: {
          ...config.kafka,
          retry: { retries: 2, initialRetryTime: 300, maxRetryTime: connectionTimeout },
        },
        compression: config.compression,
        sendTimeoutMs: requestTimeout,
      },
      thread,
    );
    this.deadlineMs = deadlineMs;
    this.topics = config.topics;
  }

  override publish(topic: string, envelopes: OutgoingEnvelope[]): Promise<void> {
    return this.withinDeadline(
      super.publish(topic, envelopes),
      this.deadlineMs,
      `no acknowledgement from Kafka within ${this.deadlineMs} ms`,
    );
  }

  /**
   * Readies the producer for the relay and the heartbeat (connection, producer id, their topics'
   * metadata) within `timeoutMs`, quietly: the connectivity probe of an offline ship, so that the
   * first send once the link is back pays none of those round trips (~2 s over a satellite).
   */
  warmUp(timeoutMs: number): Promise<void> {
    return this.withinDeadline(
      this.warm([this.topics.shipUpdates, this.topics.heartbeats], { quiet: true }),
      timeoutMs,
      `no answer from Kafka within ${timeoutMs} ms`,
    );
  }

  private async withinDeadline(work: Promise<void>, ms: number, message: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    });
    try {
      await Promise.race([work, deadline]);
    } catch (error) {
      work.catch(() => undefined); // the abandoned try may still settle; nothing waits for it
      // Not awaited: a producer stuck on a dead link may take its time to let go.
      void this.disconnect();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}
