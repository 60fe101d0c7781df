import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SyncExceptionFilter, createValidationPipe, nestLogLevels } from '@offline-sync/sync-core';
import { ShipConfig } from './core/config/ship-config';
import { ShipAppModule } from './ship-app.module';

/** Creates the ship edge: the crew's local API under /api, working with or without a link. */
export async function createShipApp(config: ShipConfig): Promise<INestApplication> {
  const app = await NestFactory.create(ShipAppModule.forRoot(config), {
    logger: nestLogLevels(config.logLevel),
  });
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new SyncExceptionFilter());
  app.enableShutdownHooks();
  return app;
}
