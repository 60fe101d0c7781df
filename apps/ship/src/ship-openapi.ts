import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import {
  API_PREFIX,
  APP_VERSION,
  buildOpenApiDocument,
  exportPrivateKeyBase64,
  exportPublicKeyBase64,
  generateSigningKeyPair,
  type OpenApiSettings,
} from '@offline-sync/sync-core';
import { ShipConfig } from './core/config/ship-config';
import { ShipAppModule } from './ship-app.module';

export const SHIP_OPENAPI: OpenApiSettings = {
  title: 'Offline Sync ship edge',
  description: "The crew's local content API and the ship's sync endpoints",
  version: APP_VERSION,
};

/**
 * The ship's OpenAPI document (openapi/ship.json), built from its modules in preview mode:
 * nothing is instantiated, so no database file is opened and no broker is reached. The
 * configuration only has to be valid; no route depends on it.
 */
export async function shipOpenApiDocument(): Promise<OpenAPIObject> {
  const keys = generateSigningKeyPair();
  const config = ShipConfig.fromEnv({
    SYNC_SHIP_ID: 'openapi',
    SYNC_SIGNING_PRIVATE_KEY: exportPrivateKeyBase64(keys.privateKey),
    SYNC_MASTER_PUBLIC_KEY: exportPublicKeyBase64(keys.publicKey),
  });
  const app = await NestFactory.create(ShipAppModule.forRoot(config), {
    preview: true,
    logger: false,
  });
  try {
    app.setGlobalPrefix(API_PREFIX);
    return buildOpenApiDocument(app, SHIP_OPENAPI);
  } finally {
    await app.close();
  }
}
