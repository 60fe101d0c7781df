import {
  type SchemaOptions,
  type TObject,
  type TProperties,
  type TSchema,
  type TUnsafe,
  Type,
} from '@sinclair/typebox';
import {
  CONTENT_TYPE_PATTERN,
  LOCALE_MAX_LENGTH,
  LOCALE_PATTERN,
  SHIP_ID_PATTERN,
  UUID_PATTERN,
  UUID_V7_PATTERN,
} from './wire-patterns.constants';
import { MESSAGE_KEYWORD, WIRE_DATE_TIME_FORMAT } from './wire-schema.vocabulary';

/*
 * The fields wire contracts are built of: JSON Schema (TypeBox) with the reason each refusal
 * reads. One schema gives the TypeScript type, the compiled check and the error messages.
 */

/** A contract schema whose values have the TypeScript type T. */
export type WireContract<T> = TSchema & { static: T };

const message = (text: string): SchemaOptions => ({ [MESSAGE_KEYWORD]: text });

/** Our patterns are compiled by Ajv from their source: flags would be lost. */
function source(pattern: RegExp): string {
  if (pattern.flags !== '') throw new Error(`wire pattern ${String(pattern)} must have no flags`);
  return pattern.source;
}

/** A safe integer within [min, max]. */
export function wireInt(min: number, max: number = Number.MAX_SAFE_INTEGER) {
  return Type.Integer({
    minimum: min,
    maximum: max,
    ...message(
      max === Number.MAX_SAFE_INTEGER
        ? `must be an integer ≥ ${min}`
        : `must be an integer between ${min} and ${max}`,
    ),
  });
}

export function matchesPattern(pattern: RegExp, text: string) {
  return Type.String({ pattern: source(pattern), ...message(text) });
}

/**
 * A string of minLength to maxLength UTF-16 code units (String.length, as every sender measures
 * it); JSON Schema's maxLength would count code points.
 */
export function wireString(minLength: number, maxLength: number) {
  return Type.String({
    pattern: `^[\\s\\S]{${minLength},${maxLength}}$`,
    ...message(`must be a string of ${minLength} to ${maxLength} characters`),
  });
}

export function oneOf<T extends string>(values: readonly T[]): TUnsafe<T> {
  return Type.Unsafe<T>({
    type: 'string',
    enum: [...values],
    ...message(`must be one of ${values.map((v) => `'${v}'`).join(', ')}`),
  });
}

export const wireUuid = () => matchesPattern(UUID_PATTERN, 'must be a lower-case UUID');

export const wireUuidV7 = () => matchesPattern(UUID_V7_PATTERN, 'must be a lower-case UUIDv7');

/** ISO-8601 date-time with a zone, e.g. 2024-01-15T10:30:00.000Z. */
export function wireTimestamp() {
  return Type.String({
    format: WIRE_DATE_TIME_FORMAT,
    ...message('must be an ISO-8601 date-time with a time zone (e.g. 2024-01-15T10:30:00.000Z)'),
  });
}

export const contentTypeName = () =>
  matchesPattern(
    CONTENT_TYPE_PATTERN,
    'must be a content type name (lower-case letter, then up to 63 of a-z, 0-9, -)',
  );

/** '' or a locale tag such as 'en' or 'pt-BR'. */
export function locale() {
  return Type.String({
    maxLength: LOCALE_MAX_LENGTH,
    pattern: source(LOCALE_PATTERN),
    ...message(
      `must be '' or a locale tag such as 'en' or 'pt-BR' (at most ${LOCALE_MAX_LENGTH} characters)`,
    ),
  });
}

export function shipId() {
  return Type.String({
    pattern: source(SHIP_ID_PATTERN),
    not: { const: 'master' },
    ...message(
      "must be a ship id (lower-case letter or digit, then up to 63 of a-z, 0-9, '.', '_', '-'; not 'master')",
    ),
  });
}

/** 'master' or a ship id: SHIP_ID_PATTERN admits both. */
export const senderId = () => matchesPattern(SHIP_ID_PATTERN, "must be 'master' or a ship id");

/**
 * Free-form JSON object (document data). Only its shape is checked, so no document field is ever
 * dropped; keys that reach prototypes (`__proto__`, `constructor`, `prototype`) are refused
 * anywhere inside.
 */
export function jsonDocument(): TUnsafe<Record<string, unknown>> {
  return Type.Unsafe<Record<string, unknown>>({
    type: 'object',
    noReservedKeys: true,
    ...message('must be a JSON object'),
  });
}

/** A JSON object checked for shape only; its content is another contract's business. */
export function shallowJsonObject(): TUnsafe<Record<string, unknown>> {
  return Type.Unsafe<Record<string, unknown>>({
    type: 'object',
    ...message('must be a JSON object'),
  });
}

/**
 * A contract object: exactly these properties (Type.Optional ones may be left out; an explicit
 * null is still validated, so the wire never carries two spellings of "absent"). `rules` holds
 * rules across properties (see whenProperty).
 */
export function wireContract<P extends TProperties>(
  properties: P,
  rules: SchemaOptions[] = [],
): TObject<P> {
  return Type.Object(properties, {
    additionalProperties: false,
    ...(rules.length > 0 && { allOf: rules }),
    ...message('must be an object'),
  });
}

/** A list of 1 to `maxItems` contract objects; `options` adds list rules (e.g. increasingSeq). */
export function contractList<T extends TSchema>(
  item: T,
  maxItems: number,
  text: string,
  options: SchemaOptions = {},
) {
  return Type.Array(item, { minItems: 1, maxItems, ...options, ...message(text) });
}

/**
 * A rule across fields: `then` applies to an object whose `property` is present and equals `value`;
 * `otherwise` (when given) to any other. Each holds `properties` with the constraints and messages
 * of the fields concerned, or `required` with, under `properties`, the message of a missing one.
 */
export function whenProperty(
  property: string,
  value: string,
  then: SchemaOptions,
  otherwise?: SchemaOptions,
): SchemaOptions {
  return {
    if: { required: [property], properties: { [property]: { const: value } } },
    then,
    ...(otherwise && { else: otherwise }),
  };
}

/** A field required when `property` equals `value`, reading `is required when ...` when missing. */
export function requiredWhen(property: string, value: string, field: string): SchemaOptions {
  return whenProperty(property, value, {
    required: [field],
    properties: { [field]: message(`is required when ${property} is '${value}'`) },
  });
}
