import { type ArgumentMetadata, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { EnvelopeBatchDto } from '../kafka/envelope-batch.dto';
import {
  envelopesLeftOut,
  fastEnvelopeBatch,
  putEnvelopesBack,
} from '../kafka/envelope-batch.fast-check';
import { findReservedKey } from '../contracts/reserved-key-scan.util';
import { InputValidationException } from './input-validation.exception';
import { isRequestInput, refuseUnworkableInput } from './request-input';
import { flattenValidationErrors } from './validation-errors';

/**
 * A parameter type handled here besides the pipe:
 * - `fast`: for certainly valid values, what the pipe would return, without class-transformer and
 *   class-validator (undefined leaves the value to the pipe, which then names what is wrong);
 * - `leaveOut` and `putBack`: the free-form data the pipe must not see (it would strip keys from
 *   it, in place, and copy it deeply), and how it is put back, as received, into what the pipe
 *   validated.
 */
export interface FastParameterCheck {
  fast(value: unknown): object | undefined;
  leaveOut?(value: unknown): unknown;
  putBack?(validated: unknown, received: unknown): void;
}

/** Parameter types (DTO classes) and their fast checks. */
export type FastParameterChecks = ReadonlyMap<unknown, FastParameterCheck>;

/** Every received Kafka batch goes through here. */
const SYNC_CORE_CHECKS: FastParameterChecks = new Map<unknown, FastParameterCheck>([
  [
    EnvelopeBatchDto,
    { fast: fastEnvelopeBatch, leaveOut: envelopesLeftOut, putBack: putEnvelopesBack },
  ],
]);

/** The global ValidationPipe, with fast checks for the hottest parameter types. */
export class SyncValidationPipe extends ValidationPipe {
  private readonly checks: FastParameterChecks;

  /** `checks`: an app's own hot parameter types, besides sync-core's Kafka batches. */
  constructor(options: ValidationPipeOptions, checks: FastParameterChecks = new Map()) {
    super(options);
    this.checks = new Map([...SYNC_CORE_CHECKS, ...checks]);
  }

  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = this.parameterType(metadata);
    const fast = type?.fast(value);
    return fast ? Promise.resolve(fast) : this.transformChecked(value, metadata);
  }

  /** The pipe's own checks (what a value the fast check declines goes through). */
  async transformChecked(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (isRequestInput(metadata)) refuseUnworkableInput(value, metadata);
    const type = this.parameterType(metadata);
    const checked = type?.leaveOut ? type.leaveOut(value) : value;
    if (this.toValidate(metadata)) refuseReservedKeys(checked);
    const validated: unknown = await super.transform(checked, metadata);
    type?.putBack?.(validated, value);
    return validated;
  }

  private parameterType(metadata: ArgumentMetadata): FastParameterCheck | undefined {
    return this.toValidate(metadata) ? this.checks.get(metadata.metatype) : undefined;
  }
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
