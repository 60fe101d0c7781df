import { Inject, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { LoggerModule } from 'nestjs-pino';
import { collectDefaultMetrics, register, type Gauge } from 'prom-client';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { loggerParams } from './logger.options';
import { MetricsController } from './metrics.controller';
import { SyncMetric, syncMetricProviders } from './sync-metrics';

export interface ObservabilitySettings {
  app: 'master' | 'ship';
  /** `master` or the ship id. */
  node: string;
  logLevel: string;
  version: string;
}

const SETTINGS = Symbol('OBSERVABILITY_SETTINGS');

class InfoMetric implements OnModuleInit {
  constructor(
    @Inject(SETTINGS) private readonly settings: ObservabilitySettings,
    @InjectMetric(SyncMetric.Info) private readonly info: Gauge<string>,
  ) {}

  onModuleInit(): void {
    const { app, node, version } = this.settings;
    this.info.set({ mode: app, ship_id: node, version }, 1);
    // Process metrics once per process, even when tests run several apps in one.
    if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
  }
}

/** JSON logs (pino) and Prometheus metrics for either app. */
@Module({})
export class ObservabilityModule {
  static forRoot(settings: ObservabilitySettings): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        LoggerModule.forRoot(
          loggerParams({ level: settings.logLevel, app: settings.app, node: settings.node }),
        ),
        PrometheusModule.register({
          controller: MetricsController,
          // register() sets the controller's path (default '/metrics'), overriding @Controller.
          path: 'offline-sync',
          defaultMetrics: { enabled: false },
        }),
      ],
      providers: [{ provide: SETTINGS, useValue: settings }, ...syncMetricProviders, InfoMetric],
      exports: [...syncMetricProviders],
    };
  }
}
