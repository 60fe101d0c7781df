import { IsJsonObject } from '@offline-sync/sync-core';
import { Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

@ValidatorConstraint({ name: 'notEmptyObject' })
class NotEmptyObject implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value !== 'object' || value === null || Object.keys(value).length > 0;
  }

  defaultMessage(): string {
    return 'must name at least one field to change';
  }
}

export class UpdateContentDto {
  /** The changed fields only; the others keep their values. */
  @Validate(NotEmptyObject)
  @IsJsonObject()
  data!: Record<string, unknown>;
}
