import { PaginationQueryDto } from '@offline-sync/sync-core';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Min } from 'class-validator';
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

  /** Conflicts of one document (with `type` and `locale` for one document and locale). */
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  document?: string;

  /** Only conflicts opened at least this many minutes ago. */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer (minutes)' })
  @Min(0)
  olderThanMinutes?: number;
}
