import { Global, Module } from '@nestjs/common';
import { AppInfoMetrics } from './app-info.metrics';
import { EnvelopeRejectionMetrics } from './envelope-rejection.metrics';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';

@Global()
@Module({
  controllers: [MetricsController],
  providers: [
    { provide: MetricsRegistry, useFactory: () => new MetricsRegistry() },
    AppInfoMetrics,
    EnvelopeRejectionMetrics,
  ],
  exports: [MetricsRegistry, EnvelopeRejectionMetrics],
})
export class MetricsModule {}
