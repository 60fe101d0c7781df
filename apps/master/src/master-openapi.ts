import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import {
  API_PREFIX,
  APP_VERSION,
  buildOpenApiDocument,
  exportPrivateKeyBase64,
  generateSigningKeyPair,
  type OpenApiSettings,
} from '@offline-sync/sync-core';
import { MasterConfig } from './core/config/master-config';
import { MasterAppModule } from './master-app.module';

export const MASTER_OPENAPI: OpenApiSettings = {
  title: 'Offline Sync master hub',
  description: 'Conflicts, ship registry, dead letters, status and the content API',
  version: APP_VERSION,
};

/**
 * The master's OpenAPI document (openapi/master.json), built from its modules in preview mode:
 * nothing is instantiated, so no database or broker is reached. The configuration only has to
 * be valid; no route depends on it.
 */
export async function masterOpenApiDocument(): Promise<OpenAPIObject> {
  const config = MasterConfig.fromEnv({
    DATABASE_URL: 'postgres://openapi@127.0.0.1:5432/openapi',
    SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(generateSigningKeyPair().privateKey),
  });
  const app = await NestFactory.create(MasterAppModule.forRoot(config), {
    preview: true,
    logger: false,
  });
  try {
    app.setGlobalPrefix(API_PREFIX);
    return buildOpenApiDocument(app, MASTER_OPENAPI);
  } finally {
    await app.close();
  }
}
