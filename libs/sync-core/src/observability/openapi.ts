import type { INestApplication, Type } from '@nestjs/common';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import {
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
  type OperationObject,
  type PathItemObject,
  type ResponsesObject,
} from '@nestjs/swagger';
import { PUBLIC_ROUTE } from '../auth/auth.decorators';
import { ErrorResponse } from '../nest/error-response';

/** Every route of both apps is under this prefix (`/api/...`). */
export const API_PREFIX = 'api';

export interface OpenApiSettings {
  title: string;
  description: string;
  version: string;
}

/** The security scheme of every route but the open ones (health probes, metrics). */
const API_KEY_SCHEME = 'api-key';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const ERROR_SCHEMA = { $ref: `#/components/schemas/${ErrorResponse.name}` };

/** `ConflictsController` + `resolve` → `conflicts_resolve`: stable names for generated clients. */
export function operationId(controllerKey: string, methodKey: string): string {
  const name = controllerKey.replace(/Controller$/, '');
  return `${name.charAt(0).toLowerCase()}${name.slice(1)}_${methodKey}`;
}

/**
 * The OpenAPI document of an app's routes (its modules as registered: the app need not be
 * initialised, so a preview app builds it without touching Kafka or a database). Besides what the
 * routes declare, every operation gets the answers the whole API shares: 401 and 403 where a key
 * is needed, 400 where it takes parameters or a body, 413 where it takes a body.
 */
export function buildOpenApiDocument(
  app: INestApplication,
  settings: OpenApiSettings,
): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(settings.title)
    .setDescription(settings.description)
    .setVersion(settings.version)
    .addServer('/', 'The node itself (paths carry the /api prefix)')
    .addApiKey(
      {
        type: 'apiKey',
        name: 'X-API-Key',
        in: 'header',
        description: 'An API key of SYNC_API_KEYS (`Authorization: Bearer <key>` works too)',
      },
      API_KEY_SCHEME,
    )
    .addSecurityRequirements(API_KEY_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: operationId,
    extraModels: [ErrorResponse],
  });
  const open = openOperationIds(app);
  for (const item of Object.values<PathItemObject>(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) addSharedAnswers(operation, open.has(operation.operationId ?? ''));
    }
  }
  dropUnusedSchemas(document);
  return document;
}

/** Serves the OpenAPI description at `/api/docs` (UI) and `/api/docs-json`, with API-key auth. */
export function setupOpenApi(app: INestApplication, settings: OpenApiSettings): void {
  const document = buildOpenApiDocument(app, settings);
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, {
    jsonDocumentUrl: `${API_PREFIX}/docs-json`,
  });
}

function addSharedAnswers(operation: OperationObject, open: boolean): void {
  const responses: ResponsesObject = operation.responses;
  const add = (status: string, description: string): void => {
    responses[status] ??= {
      description,
      content: { 'application/json': { schema: ERROR_SCHEMA } },
    };
  };
  const hasInput = (operation.parameters ?? []).length > 0 || operation.requestBody !== undefined;
  if (hasInput) add('400', 'A parameter or the body is invalid: `errors` names each field');
  if (open) {
    operation.security = [];
  } else {
    add('401', 'No API key, or not a valid one');
    add('403', "The key's role does not allow this");
  }
  if (operation.requestBody !== undefined) {
    add('413', 'The body is over the request size limit (`maxBytes`)');
  }
}

/**
 * Removes component schemas nothing refers to (the Kafka handlers' payload classes are scanned
 * too, though no HTTP route takes them).
 */
function dropUnusedSchemas(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (key === '$ref' && typeof child === 'string') {
          const name = child.replace('#/components/schemas/', '');
          if (!used.has(name)) {
            used.add(name);
            visit(schemas[name]);
          }
        } else {
          visit(child);
        }
      }
    }
  };
  visit(document.paths);
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
}

/** Operation ids of the routes marked @Public() (open without a key). */
function openOperationIds(app: INestApplication): Set<string> {
  const reflector = new Reflector();
  const scanner = new MetadataScanner();
  const ids = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as (...args: unknown[]) => unknown;
        if (reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [handler, controller])) {
          ids.add(operationId(controller.name, name));
        }
      }
    }
  }
  return ids;
}
