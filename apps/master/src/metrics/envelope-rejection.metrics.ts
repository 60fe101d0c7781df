import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from './metrics.registry';

/** Envelopes refused before anything was applied (unknown ship, bad signature...), any topic. */
@Injectable()
export class EnvelopeRejectionMetrics {
  private readonly counter: Counter<'reason' | 'topic'>;
  private readonly totals = new Map<string, number>();

  constructor(registry: MetricsRegistry) {
    this.counter = new Counter({
      name: 'offline_sync_rejected_envelopes_total',
      help: 'Envelopes refused before anything was applied, by reason',
      labelNames: ['reason', 'topic'],
      registers: [registry],
    });
  }

  rejected(reason: string, topic = 'ship-updates'): void {
    this.counter.inc({ reason, topic });
    this.totals.set(reason, (this.totals.get(reason) ?? 0) + 1);
  }

  /** Counts since start, by reason (for the status endpoint). */
  snapshot(): Record<string, number> {
    return Object.fromEntries(this.totals);
  }
}
