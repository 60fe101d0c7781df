import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  API_PREFIX,
  SyncExceptionFilter,
  limitJsonBodies,
  createValidationPipe,
  setupOpenApi,
} from '@offline-sync/sync-core';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { SHIP_FAST_CHECKS } from './content/dto/bulk-write.fast-check';
import { ShipConfig } from './core/config/ship-config';
import { ShutdownState } from './core/shutdown/shutdown-state';
import { ShipInboxServer } from './inbox/ship-inbox.server';
import { ShipAppModule } from './ship-app.module';
import { SHIP_OPENAPI } from './ship-openapi';

/**
 * Creates the ship edge: the crew's local API under /api, working with or without a link. The
 * inbound consumer (master updates, outcomes) shares the app's DI container, ValidationPipe and
 * exception filter, and connects in the background: nothing here waits for the broker.
 * Signals are handled by main (installGracefulShutdown of sync-core); tests close the app themselves.
 */
export async function createShipApp(config: ShipConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ShipAppModule.forRoot(config), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  refuseWorkWhileDraining(app);
  limitJsonBodies(app);
  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe(SHIP_FAST_CHECKS));
  app.useGlobalFilters(new SyncExceptionFilter());
  setupOpenApi(app, SHIP_OPENAPI);
  app.connectMicroservice({ strategy: app.get(ShipInboxServer) }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  return app;
}

/**
 * Once a shutdown has begun, new requests get 503 and the connection is closed, so a keep-alive
 * client cannot keep feeding writes to a process that is draining. Probes and scrapes still
 * answer: readiness itself reports the drain.
 */
function refuseWorkWhileDraining(app: INestApplication): void {
  const shutdown = app.get(ShutdownState);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!shutdown.draining || /^\/api\/offline-sync\/(health|metrics)/.test(req.path)) {
      next();
      return;
    }
    res.setHeader('Connection', 'close');
    res
      .status(503)
      .json({ statusCode: 503, message: 'Shutting down', error: 'Service Unavailable' });
  });
}
