/** The envelope schema this build writes. */
export const CURRENT_SCHEMA_VERSION = 1;

/**
 * Schemas this build can read. Ships upgrade over weeks, so a release that changes the wire format
 * keeps reading the previous version until the whole fleet has moved on.
 */
export const SUPPORTED_SCHEMA_VERSIONS: readonly number[] = Object.freeze([CURRENT_SCHEMA_VERSION]);

export function isSupportedSchemaVersion(value: number): boolean {
  return SUPPORTED_SCHEMA_VERSIONS.includes(value);
}
