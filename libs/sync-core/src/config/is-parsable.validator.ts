import { registerDecorator, type ValidationArguments } from 'class-validator';
import { errorMessage } from '../errors/error-message';

/**
 * Validates a value by running the parser that will later consume it, and reports the parser's
 * own error message. Keeps one source of truth for formats such as key lists or content types.
 */
export function IsParsable(parse: (value: string) => unknown): PropertyDecorator {
  return (target: object, propertyKey: string | symbol) => {
    const failures = new WeakMap<object, string>();
    registerDecorator({
      name: 'isParsable',
      target: target.constructor,
      propertyName: String(propertyKey),
      validator: {
        validate(value: unknown, args: ValidationArguments): boolean {
          // Presence and type are for @IsString & co. to report, once.
          if (typeof value !== 'string') return true;
          try {
            parse(value);
            return true;
          } catch (error) {
            failures.set(args.object, errorMessage(error));
            return false;
          }
        },
        defaultMessage(args: ValidationArguments): string {
          return `is invalid: ${failures.get(args.object) ?? 'cannot be parsed'}`;
        },
      },
    });
  };
}
