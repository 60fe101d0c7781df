import { IsJsonObject } from '@offline-sync/sync-core';
import { IsNotEmptyObject } from './not-empty-object.validator';

export class UpdateContentDto {
  /** The changed fields only; the others keep their values. */
  @IsNotEmptyObject()
  @IsJsonObject()
  data!: Record<string, unknown>;
}
