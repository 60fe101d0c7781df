import { PaginationQueryDto } from '@offline-sync/sync-core';
import { IsIn, IsOptional, IsString } from 'class-validator';
import type { ConflictStatus } from '../entities/conflict.entity';

export class ConflictQueryDto extends PaginationQueryDto {
  @IsOptional()
  @IsIn(['open', 'resolved'])
  status?: ConflictStatus;

  @IsOptional()
  @IsString()
  ship?: string;

  @IsOptional()
  @IsString()
  type?: string;

  /** '' (an empty parameter) selects unlocalised documents. */
  @IsOptional()
  @IsString()
  locale?: string;
}
