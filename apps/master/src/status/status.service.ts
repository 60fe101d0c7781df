import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DeadLettersService } from '../dead-letters/dead-letters.service';
import { EnvelopeRejectionMetrics } from '../metrics/envelope-rejection.metrics';
import { ShipRegistryService } from '../registry/ship-registry.service';

const STARTED = Date.now();

export interface MasterStatus {
  mode: 'master';
  uptimeSeconds: number;
  ships: { total: number; online: number };
  documents: number;
  conflicts: { open: number; resolved: number };
  outbox: { pending: number; failing: number; oldestPendingAgeMs: number | null };
  deadLetters: Record<string, number>;
  /** Envelopes refused since this instance started (unknown ship, bad signature...). */
  rejectedEnvelopes: Record<string, number>;
}

@Injectable()
export class StatusService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ships: ShipRegistryService,
    private readonly deadLetters: DeadLettersService,
    private readonly rejections: EnvelopeRejectionMetrics,
  ) {}

  async status(): Promise<MasterStatus> {
    const [[figures], ships, deadLetters] = await Promise.all([
      this.dataSource.query<
        Array<{
          documents: number;
          open_conflicts: number;
          resolved_conflicts: number;
          pending: number;
          failing: number;
          oldest_ms: string | null;
        }>
      >(
        `SELECT
           (SELECT count(*)::int FROM documents WHERE NOT deleted) AS documents,
           (SELECT count(*)::int FROM conflicts WHERE status = 'open') AS open_conflicts,
           (SELECT count(*)::int FROM conflicts WHERE status = 'resolved') AS resolved_conflicts,
           (SELECT count(*)::int FROM outbox WHERE status = 'pending') AS pending,
           (SELECT count(*)::int FROM outbox WHERE status = 'pending' AND attempts > 0) AS failing,
           (SELECT (extract(epoch FROM now() - min(created_at)) * 1000)::bigint
              FROM outbox WHERE status = 'pending') AS oldest_ms`,
      ),
      this.ships.counts(),
      this.deadLetters.countsByStatus(),
    ]);
    return {
      mode: 'master',
      uptimeSeconds: Math.round((Date.now() - STARTED) / 1000),
      ships,
      documents: figures.documents,
      conflicts: { open: figures.open_conflicts, resolved: figures.resolved_conflicts },
      outbox: {
        pending: figures.pending,
        failing: figures.failing,
        oldestPendingAgeMs: figures.oldest_ms === null ? null : Number(figures.oldest_ms),
      },
      deadLetters,
      rejectedEnvelopes: this.rejections.snapshot(),
    };
  }
}
