import { type ArgumentMetadata, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { TSchema } from '@sinclair/typebox';
import type { ValidationError } from 'class-validator';
import { EnvelopeBatchDto, EnvelopeBatchSchema } from '../kafka/envelope-batch.dto';
import { findReservedKey } from '../contracts/reserved-key-scan.util';
import { validateContractFields } from '../contracts/validate-contract';
import { InputValidationException } from './input-validation.exception';
import { isRequestInput, refuseUnworkableInput } from './request-input';
import { flattenValidationErrors } from './validation-errors';

/**
 * A REST parameter type's fast check: for certainly valid values, what the pipe would return,
 * without class-transformer and class-validator (undefined leaves the value to the pipe, which
 * then names what is wrong).
 */
export interface FastParameterCheck {
  fast(value: unknown): object | undefined;
}

/** Parameter types (DTO classes) and their fast checks. */
export type FastParameterChecks = ReadonlyMap<unknown, FastParameterCheck>;

/**
 * Parameter types validated against a wire contract schema instead of their decorators: the
 * value is handed on as received (envelopes are never copied, nor stripped of keys), and a
 * refusal names each field. Every received Kafka batch goes through here.
 */
const SCHEMA_PARAMETERS: ReadonlyMap<unknown, TSchema> = new Map<unknown, TSchema>([
  [EnvelopeBatchDto, EnvelopeBatchSchema],
]);

/**
 * The global ValidationPipe: wire schemas for the Kafka batch types, fast checks for an app's
 * hottest REST parameter types, class-validator for the rest.
 */
export class SyncValidationPipe extends ValidationPipe {
  private readonly checks: FastParameterChecks;

  /** `checks`: an app's own hot parameter types. */
  constructor(options: ValidationPipeOptions, checks: FastParameterChecks = new Map()) {
    super(options);
    this.checks = checks;
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const toValidate = this.toValidate(metadata);
    const schema = toValidate ? SCHEMA_PARAMETERS.get(metadata.metatype) : undefined;
    if (schema !== undefined) {
      // A refusal is a rejected promise, as from the pipe's own checks.
      return new Promise((resolve) => resolve(validatedBySchema(schema, value)));
    }
    const fast = toValidate ? this.checks.get(metadata.metatype)?.fast(value) : undefined;
    return fast ? Promise.resolve(fast) : this.transformChecked(value, metadata);
  }

  /** The pipe's own checks (what a value the fast check declines goes through). */
  async transformChecked(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (isRequestInput(metadata)) refuseUnworkableInput(value, metadata);
    if (this.toValidate(metadata)) refuseReservedKeys(value);
    return super.transform(value, metadata);
  }
}

function validatedBySchema(schema: TSchema, value: unknown): unknown {
  const result = validateContractFields(schema, value);
  if (!result.ok) {
    throw new InputValidationException(
      result.errors.map(({ field, reason }) => ({ field: field || '(input)', reason })),
    );
  }
  return result.value;
}

/**
 * Refuses a value holding `__proto__`, `constructor` or `prototype` as a key anywhere, naming
 * where. Nest's pipe would delete such keys in place and validate what is left: a crew's document
 * would be stored without a field, and nobody told.
 */
function refuseReservedKeys(value: unknown): void {
  let at: string;
  try {
    at = findReservedKey(value);
  } catch {
    throw new InputValidationException([{ field: '(input)', reason: 'is nested too deeply' }]);
  }
  if (at === '') return;
  throw new InputValidationException([
    {
      field: at.replace(/^\./, ''),
      reason: 'is a reserved key (__proto__, constructor, prototype)',
    },
  ]);
}

/**
 * The options of the one validation pipe of both apps, for HTTP and Kafka handlers alike: unknown
 * properties are refused (not silently dropped), and every error names its field.
 */
export const SYNC_VALIDATION_OPTIONS: Readonly<ValidationPipeOptions> = Object.freeze({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors: ValidationError[]) =>
    new InputValidationException(flattenValidationErrors(errors)),
});

export function createValidationPipe(checks?: FastParameterChecks): ValidationPipe {
  return new SyncValidationPipe(SYNC_VALIDATION_OPTIONS, checks);
}
