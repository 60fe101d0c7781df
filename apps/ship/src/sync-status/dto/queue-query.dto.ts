import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PaginationQueryDto } from '@offline-sync/sync-core';
import { OUTBOX_STATUSES, type OutboxStatus } from '../../outbox/sync-queue.table';

export class QueueQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: OUTBOX_STATUSES, description: 'Only rows in this status' })
  @IsOptional()
  @IsIn(OUTBOX_STATUSES, { message: `must be one of ${OUTBOX_STATUSES.join(', ')}` })
  status?: OutboxStatus;
}
