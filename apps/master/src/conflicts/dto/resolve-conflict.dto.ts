import { ApiProperty } from '@nestjs/swagger';
import { ApiJsonObject, IsJsonObject, IsOmittable } from '@offline-sync/sync-core';
import { IsIn } from 'class-validator';
import type { ResolutionStrategy } from '../entities/conflict.entity';

export const RESOLUTION_STRATEGIES: readonly ResolutionStrategy[] = [
  'keep-ship',
  'keep-master',
  'merge',
];

export class ResolveConflictDto {
  @ApiProperty({ enum: RESOLUTION_STRATEGIES, example: 'merge' })
  @IsIn(RESOLUTION_STRATEGIES, { message: 'must be one of keep-ship, keep-master, merge' })
  strategy!: ResolutionStrategy;

  /** The whole resulting document data for `merge`; validated against the type's schema. */
  @ApiJsonObject({
    required: false,
    description: '`merge` only: the whole resulting document data, valid for the content type',
    example: { title: 'Merged title', body: 'From both sides' },
  })
  @IsOmittable()
  @IsJsonObject()
  mergeData?: Record<string, unknown>;
}
