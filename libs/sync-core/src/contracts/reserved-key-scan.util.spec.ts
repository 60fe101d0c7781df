import fc from 'fast-check';
import { RESERVED_KEYS } from './contract-instance';
import { FAST_SCAN_MAX_DEPTH, isFreeOfReservedKeys } from './reserved-key-scan.util';
import { findReservedKey } from './wire-field.decorators';

/** An own enumerable property even for `__proto__`, as JSON.parse makes it. */
function withOwn(entries: [string, unknown][]): Record<string, unknown> {
  const object = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true });
  }
  return object;
}

function nested(depth: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i += 1) {
    value = i % 2 === 0 ? { a: value } : [value];
  }
  return value;
}

describe('isFreeOfReservedKeys', () => {
  it('agrees with findReservedKey on JSON values', () => {
    const key = fc.oneof(fc.constantFrom(...RESERVED_KEYS, 'a', 'toString', '0'), fc.string());
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.array(fc.tuple(key, tie('value')), { maxLength: 4 }).map(withOwn),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        expect(isFreeOfReservedKeys(value)).toBe(findReservedKey(value) === '');
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([...RESERVED_KEYS])('finds %s deep in objects and arrays', (key) => {
    const value = JSON.parse(`{"a":[1,{"b":{"${key}":{}}}]}`) as unknown;
    expect(isFreeOfReservedKeys(value)).toBe(false);
  });

  it('is not sure past its depth, where findReservedKey alone may say (or overflow)', () => {
    expect(isFreeOfReservedKeys(nested(FAST_SCAN_MAX_DEPTH, 1))).toBe(true);
    expect(isFreeOfReservedKeys(nested(FAST_SCAN_MAX_DEPTH + 1, 1))).toBe(false);
    expect(findReservedKey(nested(FAST_SCAN_MAX_DEPTH + 1, 1))).toBe('');
  });

  it('is not sure about inherited enumerable keys, which findReservedKey does not see', () => {
    const object = Object.create({ constructor: 1 }) as Record<string, unknown>;
    object.title = 'x';
    expect(findReservedKey(object)).toBe('');
    expect(isFreeOfReservedKeys(object)).toBe(false);
  });
});
