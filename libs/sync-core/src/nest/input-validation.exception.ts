import { BadRequestException } from '@nestjs/common';
import { formatFieldErrors, type FieldError } from './validation-errors';

/** 400 whose body names every invalid field and why. */
export class InputValidationException extends BadRequestException {
  constructor(readonly fieldErrors: FieldError[]) {
    super({
      statusCode: 400,
      error: 'Bad Request',
      message: `Validation failed: ${formatFieldErrors(fieldErrors)}`,
      errors: fieldErrors,
    });
  }
}
