import type { NestExpressApplication } from '@nestjs/platform-express';
import { MAX_DOCUMENT_BYTES } from '../versioning/document-size';

/**
 * Largest JSON request body either app reads: a document at MAX_DOCUMENT_BYTES fits with room for
 * its request (other fields, formatting), and so do a few such documents in one ship bulk request.
 * A larger body is refused with a 413 naming the limit before any of it is parsed.
 */
export const MAX_REQUEST_BODY_BYTES = 4 * MAX_DOCUMENT_BYTES;

/** Sets the JSON body limit on purpose (Express's own default, 100 KB, is below the document cap). */
export function limitJsonBodies(app: NestExpressApplication): void {
  app.useBodyParser('json', { limit: MAX_REQUEST_BODY_BYTES });
}
