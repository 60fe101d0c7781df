/**
 * Patterns shared by every wire contract. Identifiers are compared byte for byte on both sides,
 * so the patterns only admit one spelling of each (lower-case UUIDs, for example).
 */

/** The sender name the master hub signs with; no ship may use it. */
export const MASTER_SENDER = 'master';

/** A ship id: short, lower-case, safe in Kafka keys, metric labels and file names. */
export const SHIP_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** A content type name as declared in SYNC_CONTENT_TYPES. */
export const CONTENT_TYPE_PATTERN = /^[a-z][a-z0-9-]{0,63}$/;

/** '' for unlocalised types, else a BCP-47-style tag such as `en` or `pt-BR`. */
export const LOCALE_PATTERN = /^(?:[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)?$/;
export const LOCALE_MAX_LENGTH = 35;

/** Any UUID, lower case only so that one document never has two spellings of its key. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUIDv7 (time-ordered), lower case. */
export const UUID_V7_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A date-time with an explicit zone; local times would compare differently on each node. */
export const TIMESTAMP_PATTERN =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Identifiers minted by the master for conflicts (UUID or database key). */
export const CONFLICT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function isShipId(value: unknown): boolean {
  return typeof value === 'string' && value !== MASTER_SENDER && SHIP_ID_PATTERN.test(value);
}

export function isConflictId(value: unknown): boolean {
  return typeof value === 'string' && CONFLICT_ID_PATTERN.test(value);
}

/** A valid envelope sender: the master or a ship. */
export function isSenderId(value: unknown): boolean {
  return value === MASTER_SENDER || isShipId(value);
}
