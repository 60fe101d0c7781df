import { Global, Module } from '@nestjs/common';
import { EnvelopeRejectionMetrics } from './envelope-rejection.metrics';
import { masterMetricProviders } from './master-metrics';

/**
 * The master's own metrics, served with the shared ones at /api/offline-sync/metrics by the
 * ObservabilityModule (the same endpoint and registry as the ship's).
 */
@Global()
@Module({
  providers: [...masterMetricProviders, EnvelopeRejectionMetrics],
  exports: [...masterMetricProviders, EnvelopeRejectionMetrics],
})
export class MetricsModule {}
