export * from './app-version';
export * from './logger.options';
export * from './observability.module';
export * from './openapi';
export * from './metrics.controller';
export * from './sync-metrics';
