import {
  findUnstorableText,
  InputValidationException,
  type ContentTypeRegistry,
  type FieldError,
} from '@offline-sync/sync-core';

/** Largest document accepted, as JSON text: it must fit a Kafka message with room to spare. */
export const MAX_DOCUMENT_BYTES = 256 * 1024;

/** Refuses data its content type does not allow (InputValidationException names the fields). */
export function checkDocumentData(
  contentTypes: ContentTypeRegistry,
  type: string,
  data: Record<string, unknown>,
  json: string = JSON.stringify(data),
): void {
  const errors: FieldError[] = contentTypes.validate(type, data);
  // Stored here it would be refused on the master (PostgreSQL has no NUL or lone surrogates).
  const unstorable = findUnstorableText(data, 'data', json);
  if (unstorable) errors.push(unstorable);
  if (Buffer.byteLength(json) > MAX_DOCUMENT_BYTES) {
    errors.push({ field: 'data', reason: `must be at most ${MAX_DOCUMENT_BYTES} bytes of JSON` });
  }
  if (errors.length > 0) throw new InputValidationException(errors);
}
