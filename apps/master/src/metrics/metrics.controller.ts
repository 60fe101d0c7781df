import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '@offline-sync/sync-core';
import { MetricsRegistry } from './metrics.registry';

@Public()
@Controller('offline-sync/metrics')
export class MetricsController {
  constructor(private readonly registry: MetricsRegistry) {}

  /** Prometheus text format; open like the health probes, so scrapers need no key. */
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
