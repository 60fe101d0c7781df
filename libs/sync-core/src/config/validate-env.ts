import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import { flattenValidationErrors } from '../nest/validation-errors';

/** Start-up stops with this; its message is one line that names every bad variable. */
export class ConfigValidationError extends Error {
  override readonly name = 'ConfigValidationError';
}

/**
 * Validates environment variables against a class-validator class. Values are converted from
 * strings by the class's own `@Transform`s; nothing is implicitly coerced, so `SYNC_BATCH_SIZE=abc`
 * is an error rather than NaN.
 */
export function validateEnv<T extends object>(
  cls: ClassConstructor<T>,
  raw: Record<string, unknown>,
): T {
  const instance = plainToInstance(cls, raw, { exposeDefaultValues: true });
  const errors = validateSync(instance, {
    whitelist: false,
    forbidUnknownValues: true,
    stopAtFirstError: true,
  });
  if (errors.length > 0) {
    const details = flattenValidationErrors(errors).map(({ field, reason }) => {
      const value = raw[field];
      const shown =
        value === undefined
          ? 'not set'
          : `got "${/PASSWORD|SECRET|KEY/.test(field) ? '***' : typeof value === 'string' ? withoutCredentials(value) : JSON.stringify(value)}"`;
      return `${field} ${reason} (${shown})`;
    });
    throw new ConfigValidationError(`Invalid configuration: ${details.join('; ')}`);
  }
  return instance;
}

/** A connection URL's password never reaches an error line (e.g. a malformed DATABASE_URL). */
function withoutCredentials(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/i, '$1***@');
}
