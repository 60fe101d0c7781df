// class-transformer's decorators need the metadata API even where Nest has not loaded it.
import 'reflect-metadata';
import { Transform } from 'class-transformer';
import { ValidateBy, ValidateIf, ValidationArguments } from 'class-validator';
import { isPlainObject } from './plain-object.util';
import { findReservedKey } from './reserved-key-scan.util';

/*
 * class-validator decorators for the REST DTOs (wire contracts are schemas: wire-fields.schema.ts).
 * Each carries its own message, written to follow "<path>: ".
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

/**
 * Free-form JSON object (document data). Only its shape is checked, so whitelisting never strips
 * document fields. Keys that reach prototypes (`__proto__`, `constructor`, `prototype`) are
 * refused anywhere inside: Nest's ValidationPipe would silently delete them.
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
 * On the class-transformer path (Nest's ValidationPipe), hands the received value through as it
 * came rather than a rebuilt copy that would lack keys such as `toString`.
 */
function KeepAsReceived(): PropertyDecorator {
  return Transform(({ obj, key }) => (obj as Record<string, unknown>)[key], { toClassOnly: true });
}

/**
 * May be left out; unlike IsOptional, an explicit null is still validated (and rejected), so an
 * API never takes two spellings of "absent".
 */
export function IsOmittable(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
