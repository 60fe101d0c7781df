import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { MasterMetric } from './master-metrics';

/** Envelopes refused before anything was applied (unknown ship, bad signature...), any topic. */
@Injectable()
export class EnvelopeRejectionMetrics {
  private readonly totals = new Map<string, number>();

  constructor(
    @InjectMetric(MasterMetric.RejectedEnvelopes) private readonly counter: Counter<string>,
  ) {}

  rejected(reason: string, topic = 'ship-updates'): void {
    this.counter.inc({ reason, topic });
    this.totals.set(reason, (this.totals.get(reason) ?? 0) + 1);
  }

  /** Counts since this app started, by reason (for the status endpoint). */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.totals);
  }
}
