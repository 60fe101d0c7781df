import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { EnvelopeRejectionMetrics } from '../metrics/envelope-rejection.metrics';
import { MetricsRegistry } from '../metrics/metrics.registry';
import type { BatchPlan } from './change-batch-planner';

/** offline_sync_messages_total{status} and rejected envelopes by reason. */
@Injectable()
export class IngestMetrics {
  private readonly messages: Counter<'status'>;
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
