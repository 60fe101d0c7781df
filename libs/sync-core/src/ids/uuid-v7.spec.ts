import { parse, stringify, validate, version } from 'uuid';
import { isWireUuidV7 } from '../contracts/wire-field.predicates';
import { uuidV7 } from './uuid-v7';

describe('uuidV7', () => {
  it('gives canonical version-7 ids, each new and in increasing order', () => {
    const ids = Array.from({ length: 5000 }, () => uuidV7());
    for (const id of ids) {
      expect(validate(id) && version(id) === 7 && isWireUuidV7(id)).toBe(true);
      // The uuid package reads and writes it back unchanged: lower-case, dashes 8-4-4-4-12.
      expect(stringify(parse(id))).toBe(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('starts with the current time in milliseconds', () => {
    const before = Date.now();
    const id = uuidV7();
    const millis = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(millis).toBeLessThanOrEqual(Date.now());
  });
});
