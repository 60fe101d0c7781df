/**
 * Keys that would reach an object's prototype. Refused anywhere in free-form document data: Nest's
 * ValidationPipe would silently delete them, and a field that one path keeps and another drops
 * would make the two sides disagree.
 */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

/**
 * The path of the first reserved key, built only once one is found: every envelope and crew write
 * is walked, and building each key's path on the way was most of this walk's cost. for-in visits
 * the enumerable keys without allocating a key array (parsed JSON has only own ones).
 */
function reservedKeyPath(value: unknown): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = reservedKeyPath(value[i]);
      if (found !== null) return `[${i}]${found}`;
    }
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (RESERVED_KEYS.has(key)) return `.${key}`;
      const found = reservedKeyPath(record[key]);
      if (found !== null) return `.${key}${found}`;
    }
  }
  return null;
}

/** Where a reserved key sits in a JSON value (e.g. `.a.b[0].constructor`), or '' if none. */
export function findReservedKey(value: unknown, path = ''): string {
  const at = reservedKeyPath(value);
  return at === null ? '' : path + at;
}

/** True when `value` holds no reserved key at any depth. */
export function isFreeOfReservedKeys(value: unknown): boolean {
  return reservedKeyPath(value) === null;
}
