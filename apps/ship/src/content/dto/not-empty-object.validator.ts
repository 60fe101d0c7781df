import { Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

@ValidatorConstraint({ name: 'notEmptyObject' })
class NotEmptyObjectConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value !== 'object' || value === null || Object.keys(value).length > 0;
  }

  defaultMessage(): string {
    return 'must have at least one field';
  }
}

/** An object with at least one field (the wire refuses an empty create or update). */
export const IsNotEmptyObject = (): PropertyDecorator => Validate(NotEmptyObjectConstraint);
