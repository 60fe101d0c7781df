import { ApiJsonObject, IsJsonObject } from '@offline-sync/sync-core';
import { IsNotEmptyObject } from './not-empty-object.validator';

export class UpdateContentDto {
  /** The changed fields only; the others keep their values. */
  @ApiJsonObject({
    description: 'The changed fields only; the others keep their values',
    minProperties: 1,
  })
  @IsNotEmptyObject()
  @IsJsonObject()
  data!: Record<string, unknown>;
}
