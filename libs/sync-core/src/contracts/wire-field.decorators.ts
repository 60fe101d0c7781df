// class-transformer's @Type needs the metadata API even where Nest has not loaded it.
import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { ValidateBy, ValidateIf, ValidateNested, ValidationArguments } from 'class-validator';
import { isSenderId, isShipId, LOCALE_MAX_LENGTH } from './wire-patterns.constants';
import { registerNestedContract, RESERVED_KEYS } from './contract-instance';
import { isPlainObject } from './plain-object.util';
import {
  isContentTypeName,
  isLocale,
  isOneOf,
  isWireInt,
  isWireTimestamp,
  isWireUuid,
  isWireUuidV7,
} from './wire-field.predicates';

/*
 * Property decorators for wire contracts. Each one carries its own message, written to follow
 * "<path>: " in an error list, so a rejected message names the field and the reason precisely.
 */

/** Applies several property decorators as one. */
export function composeDecorators(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, propertyKey) => {
    for (const decorate of decorators) {
      decorate(target, propertyKey);
    }
  };
}

/** A property validator from a predicate and a fixed message. */
export function ValidateWith(
  name: string,
  isValid: (value: unknown, args: ValidationArguments) => boolean,
  message: string | ((args: ValidationArguments) => string),
): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        args === undefined ? false : isValid(value, args),
      defaultMessage: (args?: ValidationArguments) =>
        typeof message === 'string' || args === undefined ? String(message) : message(args),
    },
  });
}

/** A safe integer within [min, max]. */
export function IsWireInt(min: number, max: number = Number.MAX_SAFE_INTEGER): PropertyDecorator {
  const message =
    max === Number.MAX_SAFE_INTEGER
      ? `must be an integer ≥ ${min}`
      : `must be an integer between ${min} and ${max}`;
  return ValidateWith('isWireInt', (value) => isWireInt(value, min, max), message);
}

export function MatchesPattern(name: string, pattern: RegExp, message: string): PropertyDecorator {
  return ValidateWith(name, (value) => typeof value === 'string' && pattern.test(value), message);
}

export function IsWireString(minLength: number, maxLength: number): PropertyDecorator {
  return ValidateWith(
    'isWireString',
    (value) => typeof value === 'string' && value.length >= minLength && value.length <= maxLength,
    `must be a string of ${minLength} to ${maxLength} characters`,
  );
}

export function IsOneOf<T extends string>(values: readonly T[]): PropertyDecorator {
  return ValidateWith(
    'isOneOf',
    (value) => isOneOf(value, values),
    `must be one of ${values.map((v) => `'${v}'`).join(', ')}`,
  );
}

export function IsWireUuid(): PropertyDecorator {
  return ValidateWith('isWireUuid', isWireUuid, 'must be a lower-case UUID');
}

export function IsWireUuidV7(): PropertyDecorator {
  return ValidateWith('isWireUuidV7', isWireUuidV7, 'must be a lower-case UUIDv7');
}

/** ISO-8601 date-time with a zone, e.g. 2024-01-15T10:30:00.000Z. */
export function IsWireTimestamp(): PropertyDecorator {
  return ValidateWith(
    'isWireTimestamp',
    isWireTimestamp,
    'must be an ISO-8601 date-time with a time zone (e.g. 2024-01-15T10:30:00.000Z)',
  );
}

export function IsContentTypeName(): PropertyDecorator {
  return ValidateWith(
    'isContentTypeName',
    isContentTypeName,
    'must be a content type name (lower-case letter, then up to 63 of a-z, 0-9, -)',
  );
}

export function IsLocale(): PropertyDecorator {
  return ValidateWith(
    'isLocale',
    isLocale,
    `must be '' or a locale tag such as 'en' or 'pt-BR' (at most ${LOCALE_MAX_LENGTH} characters)`,
  );
}

export function IsShipId(): PropertyDecorator {
  return ValidateWith(
    'isShipId',
    isShipId,
    "must be a ship id (lower-case letter or digit, then up to 63 of a-z, 0-9, '.', '_', '-'; not 'master')",
  );
}

export function IsSenderId(): PropertyDecorator {
  return ValidateWith('isSenderId', isSenderId, "must be 'master' or a ship id");
}

/**
 * Free-form JSON object (document data, payloads). Only its shape is checked, so whitelisting never
 * strips document fields. Keys that reach prototypes (`__proto__`, `constructor`, `prototype`) are
 * refused anywhere inside: Nest's ValidationPipe would silently delete them, and a field that one
 * path keeps and another drops would make the two sides disagree.
 */
export function IsJsonObject(): PropertyDecorator {
  return composeDecorators(
    ValidateWith(
      'isJsonObject',
      (value) => isPlainObject(value) && findReservedKey(value) === '',
      (args) =>
        isPlainObject(args.value)
          ? `must not contain the reserved key at '${findReservedKey(args.value).slice(1)}'`
          : 'must be a JSON object',
    ),
    KeepAsReceived(),
  );
}

/**
 * A JSON object checked for shape only; its content is another contract's business (an envelope's
 * payload, validated by its kind's contract).
 */
export function IsShallowJsonObject(): PropertyDecorator {
  return composeDecorators(
    ValidateWith('isJsonObject', isPlainObject, 'must be a JSON object'),
    KeepAsReceived(),
  );
}

/**
 * On the class-transformer path (Nest's ValidationPipe), hands the received value through as it
 * came rather than a rebuilt copy that would lack keys such as `toString`.
 */
function KeepAsReceived(): PropertyDecorator {
  return Transform(({ obj, key }) => (obj as Record<string, unknown>)[key], { toClassOnly: true });
}

/** Where a reserved key sits in a JSON value ('' if none); such keys reach prototypes. */
export function findReservedKey(value: unknown, path = ''): string {
  const at = reservedKeyPath(value);
  return at === null ? '' : path + at;
}

/**
 * The path of the first reserved key, built only once one is found: every envelope and crew write
 * is walked, and building each key's path on the way was most of this walk's cost.
 */
function reservedKeyPath(value: unknown): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = reservedKeyPath(value[i]);
      if (found !== null) return `[${i}]${found}`;
    }
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (RESERVED_KEYS.has(key)) return `.${key}`;
      const found = reservedKeyPath(record[key]);
      if (found !== null) return `.${key}${found}`;
    }
  }
  return null;
}

/**
 * A nested contract object, or with `each` an array of them. ValidateNested alone lets a nested
 * array (`[[...]]`) through and reports primitives with a generic message, hence the explicit checks.
 */
export function IsNestedContract(
  type: () => new () => object,
  options: { each?: boolean } = {},
): PropertyDecorator {
  const each = options.each ?? false;
  const shape = each
    ? ValidateWith(
        'isArrayOfObjects',
        (value) => !Array.isArray(value) || !value.some((item) => Array.isArray(item)),
        (args) =>
          `[${(args.value as unknown[]).findIndex((item) => Array.isArray(item))}] must be an object, not an array`,
      )
    : ValidateWith('isNestedObject', isPlainObject, 'must be an object');
  return composeDecorators(
    shape,
    ValidateNested(),
    // Used by Nest's ValidationPipe, which builds instances with class-transformer.
    Type(type),
    (target, propertyKey) => registerNestedContract(target, String(propertyKey), type, each),
  );
}

/**
 * May be left out; unlike IsOptional, an explicit null is still validated (and rejected), so the
 * wire never carries two spellings of "absent".
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
