import { ApiPropertyOptional } from '@nestjs/swagger';
import { PaginationQueryDto } from '@offline-sync/sync-core';
import { IsIn, IsOptional, IsString } from 'class-validator';
import type { ConflictStatus } from '../entities/conflict.entity';

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
}
