import { type ArgumentMetadata, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { EnvelopeBatchDto } from '../kafka/envelope-batch.dto';
import {
  envelopesLeftOut,
  fastEnvelopeBatch,
  putEnvelopesBack,
} from '../kafka/envelope-batch.fast-check';
import { findReservedKey } from '../contracts/wire-field.decorators';
import { InputValidationException } from './input-validation.exception';
import { flattenValidationErrors } from './validation-errors';

/**
 * Parameter types handled here besides the pipe:
 * - `fast`: for certainly valid values, what the pipe would return, without class-transformer and
 *   class-validator (undefined leaves the value to the pipe, which then names what is wrong);
 * - `leaveOut` and `putBack`: the free-form data the pipe must not see (it would strip keys from
 *   it, in place, and copy it deeply), and how it is put back, as received, into what the pipe
 *   validated.
 * Every received Kafka batch goes through here.
 */
interface ParameterType {
  fast(value: unknown): object | undefined;
  leaveOut(value: unknown): unknown;
  putBack(validated: unknown, received: unknown): void;
}

const PARAMETER_TYPES = new Map<unknown, ParameterType>([
  [
    EnvelopeBatchDto,
    { fast: fastEnvelopeBatch, leaveOut: envelopesLeftOut, putBack: putEnvelopesBack },
  ],
]);

/** The global ValidationPipe, with fast checks for the hottest parameter types. */
export class SyncValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = this.parameterType(metadata);
    const fast = type?.fast(value);
    return fast ? Promise.resolve(fast) : this.transformChecked(value, metadata);
  }

  /** The pipe's own checks (what a value the fast check declines goes through). */
  async transformChecked(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const type = this.parameterType(metadata);
    const checked = type ? type.leaveOut(value) : value;
    if (this.toValidate(metadata)) refuseReservedKeys(checked);
    const validated: unknown = await super.transform(checked, metadata);
    type?.putBack(validated, value);
    return validated;
  }

  private parameterType(metadata: ArgumentMetadata): ParameterType | undefined {
    return this.toValidate(metadata) ? PARAMETER_TYPES.get(metadata.metatype) : undefined;
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

export function createValidationPipe(): ValidationPipe {
  return new SyncValidationPipe(SYNC_VALIDATION_OPTIONS);
}
