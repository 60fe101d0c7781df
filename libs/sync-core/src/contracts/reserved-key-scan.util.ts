import { RESERVED_KEYS } from './contract-instance';

/**
 * How deep the fast contract checks walk document data. Deeper data is left to IsJsonObject's own
 * walk: that one can run out of stack, and such a refusal must stay the same whichever path runs.
 */
export const FAST_SCAN_MAX_DEPTH = 64;

function isFreeWithin(value: unknown, depthLeft: number): boolean {
  if (typeof value !== 'object' || value === null) {
    return true;
  }
  if (depthLeft === 0) {
    return false;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      if (!isFreeWithin(value[i], depthLeft - 1)) {
        return false;
      }
    }
    return true;
  }
  const record = value as Record<string, unknown>;
  // for-in, with no key array to allocate, visits every own enumerable key that Object.keys gives;
  // inherited enumerable keys (none on parsed JSON) can only turn the answer into "not sure".
  for (const key in record) {
    if (RESERVED_KEYS.has(key) || !isFreeWithin(record[key], depthLeft - 1)) {
      return false;
    }
  }
  return true;
}

/**
 * True when `value` certainly holds no reserved key, walked as findReservedKey walks it (array
 * indices, enumerable keys) but without building paths, which is most of findReservedKey's cost.
 * False when it holds one, or nests objects more than `maxDepth` deep: then only findReservedKey
 * can say.
 */
export function isFreeOfReservedKeys(value: unknown, maxDepth = FAST_SCAN_MAX_DEPTH): boolean {
  return isFreeWithin(value, maxDepth);
}
