import { ApiPropertyOptional } from '@nestjs/swagger';
import { PaginationQueryDto } from '@offline-sync/sync-core';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { ShipStatus } from '../entities/ship.entity';

/** Orders of the ships list: by id, or the ships needing a look first. */
export const SHIP_SORTS = ['id', 'last-seen', 'queue-depth', 'updates-behind'] as const;
export type ShipSort = (typeof SHIP_SORTS)[number];

/** `GET ships?status=&sort=&page=&pageSize=`: one page of the fleet (50 ships unless told). */
export class ShipQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ enum: ['online', 'offline'] })
  @IsOptional()
  @IsIn(['online', 'offline'], { message: 'must be online or offline' })
  status?: ShipStatus;

  /**
   * `id` (default); `last-seen`: silent longest first; `queue-depth`: most changes waiting on
   * board first; `updates-behind`: most master updates not applied first.
   */
  @ApiPropertyOptional({
    enum: SHIP_SORTS,
    default: 'id',
    description: 'id; last-seen, queue-depth, updates-behind: the ships needing a look first',
  })
  @IsOptional()
  @IsIn(SHIP_SORTS, { message: `must be one of ${SHIP_SORTS.join(', ')}` })
  sort: ShipSort = 'id';

  @ApiPropertyOptional({ description: 'Ships whose id contains this text (any case)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}
