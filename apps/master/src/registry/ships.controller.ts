import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorResponse } from '@offline-sync/sync-core';
import { ShipQueryDto } from './dto/ship-query.dto';
import { ShipListResponse, ShipResponse } from './dto/ship.response';
import { ShipRegistryService, type ShipPage } from './ship-registry.service';
import type { ShipView } from './ship.view';

@ApiTags('ships')
@Controller('offline-sync/ships')
export class ShipsController {
  constructor(private readonly registry: ShipRegistryService) {}

  /** One page of the fleet (`?status=&sort=&page=&pageSize=`), with the fleet's counts. */
  @Get()
  @ApiOperation({
    summary: "One page of the fleet: status, queue, lag, version; the fleet's counts",
  })
  @ApiOkResponse({ type: ShipListResponse })
  list(@Query() query: ShipQueryDto): Promise<ShipPage> {
    return this.registry.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One ship' })
  @ApiOkResponse({ type: ShipResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No heartbeat from such a ship' })
  get(@Param('id') id: string): Promise<ShipView> {
    return this.registry.get(id);
  }
}
