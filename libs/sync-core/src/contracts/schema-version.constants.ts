/** The envelope schema this build writes for an envelope signed on its own. */
export const CURRENT_SCHEMA_VERSION = 1;

/**
 * Envelopes signed as part of a batch: the signature covers the root of a Merkle tree over the
 * batch, and each envelope carries its `proof`. Readers of version 1 only refuse them.
 */
export const BATCH_SIGNED_SCHEMA_VERSION = 2;

/**
 * Schemas this build can read. Ships upgrade over weeks, so a release that changes the wire format
 * keeps reading the previous version until the whole fleet has moved on.
 */
export const SUPPORTED_SCHEMA_VERSIONS: readonly number[] = Object.freeze([
  CURRENT_SCHEMA_VERSION,
  BATCH_SIGNED_SCHEMA_VERSION,
]);

export function isSupportedSchemaVersion(value: number): boolean {
  return SUPPORTED_SCHEMA_VERSIONS.includes(value);
}
