import { PayloadTooLargeException } from '@nestjs/common';
import { MAX_DOCUMENT_BYTES, documentTooLargeReason } from '../versioning/document-size';

/**
 * 413 for a write whose resulting document would be over MAX_DOCUMENT_BYTES: the body names the
 * field, the document's size and the limit (`maxBytes`). Nothing of the write is applied.
 */
export class DocumentTooLargeException extends PayloadTooLargeException {
  constructor(
    readonly field: string,
    readonly bytes: number,
  ) {
    const reason = documentTooLargeReason(bytes);
    super({
      statusCode: 413,
      error: 'Payload Too Large',
      message: `Document too large: ${field} ${reason}`,
      errors: [{ field, reason }],
      maxBytes: MAX_DOCUMENT_BYTES,
    });
  }
}
