import { Global, Module } from '@nestjs/common';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { DocumentsModule } from '../documents/documents.module';
import { OutboxModule } from '../outbox/outbox.module';
import { shipMetricProviders } from './ship-metric-providers';
import { ShipMetrics } from './ship-metrics.service';

/** Served with the shared metrics at /api/offline-sync/metrics (ObservabilityModule). */
@Global()
@Module({
  imports: [OutboxModule, DocumentsModule, DeadLettersModule],
  providers: [...shipMetricProviders, ShipMetrics],
  exports: [ShipMetrics],
})
export class MetricsModule {}
