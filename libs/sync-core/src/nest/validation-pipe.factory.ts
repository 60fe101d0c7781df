import { ValidationPipe } from '@nestjs/common';
import { InputValidationException } from './input-validation.exception';
import { flattenValidationErrors } from './validation-errors';

/**
 * The one validation pipe of both apps, for HTTP and Kafka handlers alike: unknown properties
 * are refused (not silently dropped), and every error names its field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new InputValidationException(flattenValidationErrors(errors)),
  });
}
