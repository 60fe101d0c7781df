import { Injectable } from '@nestjs/common';
import { SyncMetric } from '@offline-sync/sync-core';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter, Histogram } from 'prom-client';
import { EnvelopeRejectionMetrics } from '../metrics/envelope-rejection.metrics';
import { MasterMetric } from '../metrics/master-metrics';
import type { BatchPlan } from './change-batch-planner';

/** Where a batch came from: the ship-updates topic, or an operator's/retrier's dead-letter replay. */
export type IngestPath = 'kafka' | 'replay';

export interface BatchCounts {
  /** Envelopes applied for the first time. */
  processed: number;
  /** Envelopes seen before (redelivered by Kafka or sent twice by a ship). */
  duplicates: number;
  /** Envelopes refused (bad signature, unknown ship...): each one is a dead letter. */
  rejected: Array<{ reason: string }>;
  /** Changes in the envelopes received, duplicates included. */
  changes: number;
  plan: BatchPlan | null;
}

/**
 * offline_sync_messages_total{status} counts ship-updates envelopes as they arrive from Kafka:
 * `processed`, `duplicate` or `dead-lettered`; a dead letter that later goes through on a retry
 * counts as `replayed`. offline_sync_changes_total{decision} counts the decisions on the changes.
 */
@Injectable()
export class IngestMetrics {
  constructor(
    @InjectMetric(SyncMetric.Messages) private readonly messages: Counter<string>,
    @InjectMetric(MasterMetric.Changes) private readonly changes: Counter<string>,
    @InjectMetric(MasterMetric.IngestBatchSize) private readonly batchSize: Histogram<string>,
    @InjectMetric(MasterMetric.IngestBatchSeconds) private readonly batchSeconds: Histogram<string>,
    private readonly rejections: EnvelopeRejectionMetrics,
  ) {
    // Every status from the start, so a rate or an absent-series check works from the first scrape.
    for (const status of ['processed', 'duplicate', 'dead-lettered'])
      this.messages.inc({ status }, 0);
  }

  /** Starts timing a batch; call the result when it is committed. */
  startBatch(): () => void {
    return this.batchSeconds.startTimer();
  }

  record(path: IngestPath, counts: BatchCounts): void {
    if (path === 'replay') {
      if (counts.processed > 0) this.messages.inc({ status: 'replayed' }, counts.processed);
    } else {
      this.batchSize.observe(counts.changes);
      this.messages.inc({ status: 'processed' }, counts.processed);
      this.messages.inc({ status: 'duplicate' }, counts.duplicates);
      for (const { reason } of counts.rejected) {
        this.rejections.rejected(reason);
        this.messages.inc({ status: 'dead-lettered' });
      }
    }
    const plan = counts.plan;
    if (!plan) return;
    this.changes.inc({ decision: 'applied' }, plan.counts.applied);
    this.changes.inc({ decision: 'conflict' }, plan.counts.conflicts);
    this.changes.inc({ decision: 'rejected' }, plan.counts.rejected);
    this.changes.inc({ decision: 'redelivered' }, plan.counts.redelivered);
  }
}
