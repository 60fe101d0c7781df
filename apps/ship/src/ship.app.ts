import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  APP_VERSION,
  SyncExceptionFilter,
  createValidationPipe,
  setupOpenApi,
} from '@offline-sync/sync-core';
import { Logger } from 'nestjs-pino';
import { ShipConfig } from './core/config/ship-config';
import { ShipInboxServer } from './inbox/ship-inbox.server';
import { ShipAppModule } from './ship-app.module';

/**
 * Creates the ship edge: the crew's local API under /api, working with or without a link. The
 * inbound consumer (master updates, outcomes) shares the app's DI container, ValidationPipe and
 * exception filter, and connects in the background: nothing here waits for the broker.
 */
export async function createShipApp(config: ShipConfig): Promise<INestApplication> {
  const app = await NestFactory.create(ShipAppModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new SyncExceptionFilter());
  app.enableShutdownHooks();
  setupOpenApi(app, {
    title: 'Offline Sync ship edge',
    description: "The crew's local content API and the ship's sync endpoints",
    version: APP_VERSION,
  });
  app.connectMicroservice({ strategy: app.get(ShipInboxServer) }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  return app;
}
