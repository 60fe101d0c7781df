import { type ArgumentMetadata, ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { EnvelopeBatchDto } from '../kafka/envelope-batch.dto';
import { fastEnvelopeBatch } from '../kafka/envelope-batch.fast-check';
import { InputValidationException } from './input-validation.exception';
import { flattenValidationErrors } from './validation-errors';

/**
 * Parameter types whose certainly valid values skip class-transformer and class-validator: each
 * check returns what the pipe would return, or undefined to leave the value to the pipe (which
 * then names what is wrong). Every received Kafka batch goes through here.
 */
const FAST_CHECKS = new Map<unknown, (value: unknown) => object | undefined>([
  [EnvelopeBatchDto, fastEnvelopeBatch],
]);

/** The global ValidationPipe, with fast checks for the hottest parameter types. */
export class SyncValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const check = FAST_CHECKS.get(metadata.metatype);
    const fast = check && this.toValidate(metadata) ? check(value) : undefined;
    return fast ? Promise.resolve(fast) : super.transform(value, metadata);
  }
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
