import { Injectable } from '@nestjs/common';
import { SyncMetric, type DeadLetterEntry, type DeadLetterSink } from '@offline-sync/sync-core';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { MasterConfig } from '../core/config/master-config';
import { EnvelopeRejectionMetrics } from '../metrics/envelope-rejection.metrics';
import { DeadLettersService } from './dead-letters.service';

/**
 * The Kafka transport's dead-letter sink: messages refused before they reach a handler (not JSON,
 * not a valid batch). Those on ship-updates count as `dead-lettered` messages like the envelopes
 * the ingest refuses, so offline_sync_messages_total covers every message the master was sent.
 */
@Injectable()
export class CountedDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly deadLetters: DeadLettersService,
    private readonly rejections: EnvelopeRejectionMetrics,
    private readonly config: MasterConfig,
    @InjectMetric(SyncMetric.Messages) private readonly messages: Counter<string>,
  ) {}

  async store(entry: DeadLetterEntry): Promise<void> {
    await this.deadLetters.store(entry);
    if (entry.topic === this.config.topics.shipUpdates) {
      this.messages.inc({ status: 'dead-lettered' });
      this.rejections.rejected(entry.reason);
    } else {
      this.rejections.rejected(entry.reason, 'heartbeats');
    }
  }
}
