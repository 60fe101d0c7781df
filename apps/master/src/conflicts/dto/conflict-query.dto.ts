import { ApiPropertyOptional } from '@nestjs/swagger';
import { PaginationQueryDto } from '@offline-sync/sync-core';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import type { ConflictStatus } from '../entities/conflict.entity';

/** Ten years: any older filter means "all" and would overflow a date. */
const MAX_AGE_MINUTES = 10 * 366 * 24 * 60;

export class ConflictQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'resolved'] })
  @IsOptional()
  @IsIn(['open', 'resolved'])
  status?: ConflictStatus;

  @ApiPropertyOptional({ description: 'Ship id', example: 'ship-a' })
  @IsOptional()
  @IsString()
  ship?: string;

  @ApiPropertyOptional({ description: 'Content type', example: 'article' })
  @IsOptional()
  @IsString()
  type?: string;

  /** '' (an empty parameter) selects unlocalised documents. */
  @ApiPropertyOptional({ description: "'' (an empty parameter) selects unlocalised documents" })
  @IsOptional()
  @IsString()
  locale?: string;

  /** Conflicts of one document (with `type` and `locale` for one document and locale). */
  @ApiPropertyOptional({ format: 'uuid', description: 'Conflicts of this document only' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  document?: string;

  /** Only conflicts opened at least this many minutes ago. */
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_AGE_MINUTES,
    description: 'Only conflicts opened at least this many minutes ago',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer (minutes)' })
  @Min(0)
  @Max(MAX_AGE_MINUTES)
  olderThanMinutes?: number;
}
