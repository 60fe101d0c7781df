import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export interface OpenApiSettings {
  title: string;
  description: string;
  version: string;
}

/** Serves the OpenAPI description at `/api/docs` (UI) and `/api/docs-json`, with API-key auth. */
export function setupOpenApi(app: INestApplication, settings: OpenApiSettings): void {
  const config = new DocumentBuilder()
    .setTitle(settings.title)
    .setDescription(settings.description)
    .setVersion(settings.version)
    .addApiKey({ type: 'apiKey', name: 'X-API-Key', in: 'header' }, 'api-key')
    .addSecurityRequirements('api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
