/**
 * Builds contract class instances from received JSON for validateContract.
 *
 * class-transformer is not used on this path: it rebuilds every nested object, drops keys such as
 * `toString`, and throws on an object with its own `constructor` key, all of which a hostile or
 * buggy sender can put in free-form document data. Here raw values are handed through untouched
 * and only the nested contracts (registered by IsNestedContract) become instances.
 */

import { isPlainObject } from './plain-object.util';

type ContractClass = new () => object;

interface NestedContract {
  type: () => ContractClass;
  each: boolean;
}

const nestedContracts = new WeakMap<object, Map<string, NestedContract>>();

/** Keys that would reach an instance's prototype; never copied, always reported. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

export function registerNestedContract(
  prototype: object,
  property: string,
  type: () => ContractClass,
  each: boolean,
): void {
  const own = nestedContracts.get(prototype) ?? new Map<string, NestedContract>();
  own.set(property, { type, each });
  nestedContracts.set(prototype, own);
}

function nestedContractOf(cls: ContractClass, property: string): NestedContract | undefined {
  for (
    let prototype: unknown = cls.prototype;
    prototype !== null && prototype !== Object.prototype;
    prototype = Object.getPrototypeOf(prototype)
  ) {
    const found = nestedContracts.get(prototype as object)?.get(property);
    if (found) {
      return found;
    }
  }
  return undefined;
}

function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/**
 * A `cls` instance holding `raw`'s values. Reserved keys of contract objects are skipped and
 * reported in `reservedKeyPaths` so validation can name them.
 */
export function toContractInstance<T extends object>(
  cls: new () => T,
  raw: Record<string, unknown>,
  reservedKeyPaths: string[] = [],
  path = '',
): T {
  const instance = new cls();
  const target = instance as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (RESERVED_KEYS.has(key)) {
      reservedKeyPaths.push(joinPath(path, key));
      continue;
    }
    const value = raw[key];
    const nested = nestedContractOf(cls, key);
    if (nested === undefined) {
      target[key] = value;
    } else if (nested.each && Array.isArray(value)) {
      target[key] = value.map((item: unknown, index) =>
        isPlainObject(item)
          ? toContractInstance(
              nested.type(),
              item,
              reservedKeyPaths,
              `${joinPath(path, key)}[${index}]`,
            )
          : item,
      );
    } else if (!nested.each && isPlainObject(value)) {
      target[key] = toContractInstance(nested.type(), value, reservedKeyPaths, joinPath(path, key));
    } else {
      target[key] = value;
    }
  }
  return instance;
}

/**
 * A `cls` instance holding `raw`'s values, built as toContractInstance builds it, when every key of
 * `raw` is one of `keys`; else undefined. For the fast contract checks: `keys` never holds a
 * reserved key, and they put nested contracts in place themselves.
 */
export function toContractInstanceOfKeys<T extends object>(
  cls: new () => T,
  raw: Record<string, unknown>,
  keys: ReadonlySet<string>,
): T | undefined {
  const instance = new cls();
  const target = instance as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!keys.has(key)) {
      return undefined;
    }
    target[key] = raw[key];
  }
  return instance;
}
