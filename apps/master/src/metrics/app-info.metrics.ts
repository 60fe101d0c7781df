import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from './metrics.registry';

const STARTED = Date.now();

/** offline_sync_info and offline_sync_uptime_seconds, named as the seed named them. */
@Injectable()
export class AppInfoMetrics {
  constructor(registry: MetricsRegistry) {
    new Gauge({
      name: 'offline_sync_info',
      help: 'Offline Sync build information',
      labelNames: ['mode', 'version'],
      registers: [registry],
    }).set({ mode: 'master', version: process.env.npm_package_version ?? '0.1.0' }, 1);
    new Gauge({
      name: 'offline_sync_uptime_seconds',
      help: 'Seconds since this instance started',
      registers: [registry],
      collect() {
        this.set((Date.now() - STARTED) / 1000);
      },
    });
  }
}
