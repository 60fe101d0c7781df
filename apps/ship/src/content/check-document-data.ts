import {
  DocumentTooLargeException,
  InputValidationException,
  oversizedDocumentBytes,
  type ContentTypeRegistry,
} from '@offline-sync/sync-core';

/**
 * Refuses data over the document size limit (DocumentTooLargeException, 413) or that its content
 * type does not allow (InputValidationException, 400, naming the fields).
 */
export function checkDocumentData(
  contentTypes: ContentTypeRegistry,
  type: string,
  data: Record<string, unknown>,
  json: string = JSON.stringify(data),
): void {
  const oversized = oversizedDocumentBytes(data, json);
  if (oversized !== null) throw new DocumentTooLargeException('data', oversized);
  const errors = contentTypes.validate(type, data);
  if (errors.length > 0) throw new InputValidationException(errors);
}
