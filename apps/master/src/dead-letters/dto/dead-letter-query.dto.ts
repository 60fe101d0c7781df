import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { DeadLetterStatus } from '../entities/dead-letter.entity';

export class DeadLetterQueryDto {
  @IsOptional()
  @IsIn(['pending', 'retrying', 'exhausted', 'resolved'])
  status?: DeadLetterStatus;

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
