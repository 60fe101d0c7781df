import {
  DocumentTooLargeException,
  findUnstorableText,
  InputValidationException,
  oversizedDocumentBytes,
  type ContentTypeRegistry,
  type FieldError,
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
  const errors: FieldError[] = contentTypes.validate(type, data);
  // Stored here it would be refused on the master (PostgreSQL has no NUL or lone surrogates).
  const unstorable = findUnstorableText(data, 'data', json);
  if (unstorable) errors.push(unstorable);
  if (errors.length > 0) throw new InputValidationException(errors);
}
