import fc from 'fast-check';
import { findReservedKey, isFreeOfReservedKeys, RESERVED_KEYS } from './reserved-key-scan.util';

/** An own enumerable property even for `__proto__`, as JSON.parse makes it. */
function withOwn(entries: [string, unknown][]): Record<string, unknown> {
  const object = {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true });
  }
  return object;
}

/** Every key of a JSON value, as JSON.parse meets them: an oracle that walks nothing itself. */
function hasReservedKeyByReviver(value: unknown): boolean {
  let found = false;
  JSON.parse(JSON.stringify(value) ?? 'null', (key, inner: unknown) => {
    if (RESERVED_KEYS.has(key)) found = true;
    return inner;
  });
  return found;
}

describe('reserved key scan', () => {
  it('finds a reserved key exactly when JSON.parse meets one', () => {
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
        const reserved = hasReservedKeyByReviver(value);
        expect(isFreeOfReservedKeys(value)).toBe(!reserved);
        expect(findReservedKey(value) !== '').toBe(reserved);
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([...RESERVED_KEYS])('names the path of %s deep in objects and arrays', (key) => {
    const value = JSON.parse(`{"a":[1,{"b":{"${key}":{}}}]}`) as unknown;
    expect(isFreeOfReservedKeys(value)).toBe(false);
    expect(findReservedKey(value)).toBe(`.a[1].b.${key}`);
    expect(findReservedKey(value, 'fields')).toBe(`fields.a[1].b.${key}`);
  });

  it('walks data nested deeper than any document without a limit of its own', () => {
    let value: unknown = { leaf: true };
    for (let i = 0; i < 1_000; i += 1) value = i % 2 === 0 ? { a: value } : [value];
    expect(isFreeOfReservedKeys(value)).toBe(true);
  });
});
