import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import type { ConflictStatus } from '../entities/conflict.entity';

export class ConflictQueryDto {
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

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page = 1;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize = 50;
}
