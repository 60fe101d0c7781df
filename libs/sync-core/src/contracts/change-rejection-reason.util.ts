/**
 * A rejected change carries `reason` as `<code>: <text>`: the code is for machines (the ship decides
 * what to do with its pending edit), the text for the operator reading the ship's failed queue.
 */
export const ChangeRejectionCode = {
  /** The master kept its own version by policy; the ship receives the master's copy. */
  Superseded: 'superseded',
  /** Update or delete of a document the master never had. */
  UnknownDocument: 'unknown-document',
  /** The ship claims a base version newer than the master's. */
  BaseVersionAhead: 'base-version-ahead',
  /** The content type is not synced. */
  UnknownContentType: 'unknown-content-type',
  /** The data breaks the content type's schema. */
  InvalidData: 'invalid-data',
  /**
   * Asked about after its ship's outcomes up to a later seq were purged (SYNC_RETENTION_DAYS):
   * the master no longer knows what became of it, and keeps its own copy.
   */
  OutcomeExpired: 'outcome-expired',
  /** The resulting document would be over the document size limit (MAX_DOCUMENT_BYTES). */
  TooLarge: 'too-large',
} as const;

export type ChangeRejectionCode = (typeof ChangeRejectionCode)[keyof typeof ChangeRejectionCode];

export const REJECTION_CODE_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;
export const REJECTION_REASON_MAX_LENGTH = 1024;
/** `<code>` or `<code>: <text>`. */
export const REJECTION_REASON_PATTERN = /^[a-z][a-z0-9-]{0,63}(?:: [\s\S]+)?$/;

export function isRejectionReason(value: unknown): boolean {
  return (
    typeof value === 'string' &&
    value.length <= REJECTION_REASON_MAX_LENGTH &&
    REJECTION_REASON_PATTERN.test(value)
  );
}

export function formatRejectionReason(code: string, text?: string): string {
  if (!REJECTION_CODE_PATTERN.test(code)) {
    throw new RangeError(`invalid rejection code ${JSON.stringify(code)}`);
  }
  const reason = text ? `${code}: ${text}` : code;
  return reason.length > REJECTION_REASON_MAX_LENGTH
    ? `${reason.slice(0, REJECTION_REASON_MAX_LENGTH - 1)}…`
    : reason;
}

export function parseRejectionReason(reason: string): { code: string; text: string } {
  const separator = reason.indexOf(': ');
  const code = separator === -1 ? reason : reason.slice(0, separator);
  return REJECTION_CODE_PATTERN.test(code)
    ? { code, text: separator === -1 ? '' : reason.slice(separator + 2) }
    : { code: 'unknown', text: reason };
}
