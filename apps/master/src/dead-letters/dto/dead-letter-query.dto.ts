import { ApiPropertyOptional } from '@nestjs/swagger';
import { PaginationQueryDto } from '@offline-sync/sync-core';
import { IsIn, IsOptional } from 'class-validator';
import type { DeadLetterStatus } from '../entities/dead-letter.entity';

export class DeadLetterQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'retrying', 'exhausted', 'resolved'] })
  @IsOptional()
  @IsIn(['pending', 'retrying', 'exhausted', 'resolved'])
  status?: DeadLetterStatus;
}
