/**
 * Largest document either app accepts, as UTF-8 bytes of its data's JSON text. A document travels
 * whole in one Kafka message (a master update, or a ship's create), so it must fit a broker's
 * default 1 MiB message with room for the envelope and its batch mates; the cap is the same on
 * master and ship, so neither side can write what the other could never send.
 */
export const MAX_DOCUMENT_BYTES = 256 * 1024;

/**
 * The UTF-8 size of a document's JSON text when it is over MAX_DOCUMENT_BYTES, else null. Pass
 * the text when the caller has it already. UTF-8 takes one to three bytes per UTF-16 unit of JSON
 * text, so most documents are settled by the text's length alone.
 */
export function oversizedDocumentBytes(
  data: unknown,
  json: string = JSON.stringify(data),
): number | null {
  if (json.length * 3 <= MAX_DOCUMENT_BYTES) return null;
  const bytes = Buffer.byteLength(json);
  return bytes > MAX_DOCUMENT_BYTES ? bytes : null;
}

/** Why a document is refused, naming its size and the limit (for a 413 or a rejection reason). */
export function documentTooLargeReason(bytes: number): string {
  return `is ${bytes} bytes of JSON, over the ${MAX_DOCUMENT_BYTES}-byte document size limit`;
}
