import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { EnvelopeRejectionMetrics } from '../metrics/envelope-rejection.metrics';
import { MetricsRegistry } from '../metrics/metrics.registry';
import type { BatchPlan } from './change-batch-planner';

/** offline_sync_messages_total{status} and rejected envelopes by reason. */
@Injectable()
export class IngestMetrics {
  private readonly messages: Counter<'status'>;
  private readonly batchSeconds: Histogram;
  constructor(
    registry: MetricsRegistry,
    private readonly rejections: EnvelopeRejectionMetrics,
  ) {
    this.messages = new Counter({
      name: 'offline_sync_messages_total',
      help: 'Ship changes and envelopes handled by the master, by result',
      labelNames: ['status'],
      registers: [registry],
    });
    this.batchSeconds = new Histogram({
      name: 'offline_sync_ingest_batch_seconds',
      help: 'Time to verify, decide and commit one Kafka batch of ship-updates',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  /** Starts timing a batch; call the result when it is committed. */
  startBatch(): () => void {
    return this.batchSeconds.startTimer();
  }

  record(accepted: number, rejected: Array<{ reason: string }>, plan: BatchPlan | null): void {
    this.messages.inc({ status: 'received' }, accepted);
    for (const { reason } of rejected) {
      this.rejections.rejected(reason);
      this.messages.inc({ status: 'dead-lettered' });
    }
    if (!plan) return;
    this.messages.inc({ status: 'applied' }, plan.counts.applied);
    this.messages.inc({ status: 'conflict' }, plan.counts.conflicts);
    this.messages.inc({ status: 'rejected' }, plan.counts.rejected);
    this.messages.inc({ status: 'redelivered' }, plan.counts.redelivered);
  }
}
