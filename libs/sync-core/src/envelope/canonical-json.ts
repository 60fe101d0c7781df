import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JCS) text of a JSON value: the same string as the `canonicalize` library (for JSON
 * data, with undefined members left out as both do), made faster where the value allows it. Any part whose objects already list their keys in canonical
 * order (and that holds nothing JSON leaves out or rewrites) is serialised by JSON.stringify in one
 * native call; everything else goes key by key as JCS prescribes. Senders build envelopes with
 * their keys in that order, and JSON.parse keeps it, so a receiver's canonical bytes of a whole
 * envelope usually come from one JSON.stringify.
 */
export function canonicalJson(value: unknown): string | undefined {
  if (value !== null && typeof value === 'object') {
    return inCanonicalOrder(value) ? JSON.stringify(value) : keyByKey(value);
  }
  return canonicalize(value);
}

function keyByKey(value: object): string | undefined {
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalize(value);
  if (Array.isArray(value)) {
    const array = value as unknown[];
    const items: (string | undefined)[] = [];
    for (let i = 0; i < array.length; i += 1) {
      if (!(i in array)) return canonicalize(value); // a sparse array: the library's own rules
      const item = array[i];
      items.push(item === undefined || typeof item === 'symbol' ? 'null' : canonicalJson(item));
    }
    return `[${items.join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined || typeof member === 'symbol') continue;
    members.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
  }
  return `{${members.join(',')}}`;
}

/**
 * True when JSON.stringify gives the canonical text: plain JSON data only (finite numbers, no
 * undefined, functions, symbols, bigints or toJSON), every object's keys in ascending UTF-16 order.
 */
function inCanonicalOrder(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        const array = value as unknown[];
        for (let i = 0; i < array.length; i += 1) {
          if (!(i in array) || !inCanonicalOrder(array[i])) return false;
        }
        return true;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
      const record = value as Record<string, unknown>;
      let previous: string | null = null;
      for (const key in record) {
        if (!Object.prototype.hasOwnProperty.call(record, key)) return false;
        if (previous !== null && !(previous < key)) return false;
        if (!inCanonicalOrder(record[key])) return false;
        previous = key;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * A copy of a JSON value whose objects list their keys in canonical order (undefined members
 * dropped), for senders: what they serialise is then its own canonical form, so every receiver's
 * canonicalJson of it is one JSON.stringify (except under objects with integer-like keys, which
 * JavaScript always lists first). Values already in order are returned as they are.
 */
export function inCanonicalKeyOrder<T>(value: T): T {
  if (value === null || typeof value !== 'object' || inCanonicalOrder(value)) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => inCanonicalKeyOrder(item)) as T;
  const record = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) continue;
    const member = inCanonicalKeyOrder(record[key]);
    // A "__proto__" member (JSON may carry one) stays a member, not the copy's prototype.
    if (key === '__proto__') {
      Object.defineProperty(sorted, key, {
        value: member,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      sorted[key] = member;
    }
  }
  return sorted as T;
}
