import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorResponse } from '@offline-sync/sync-core';
import { ShipListResponse, ShipResponse } from './dto/ship.response';
import { ShipRegistryService } from './ship-registry.service';
import type { ShipView } from './ship.view';

@ApiTags('ships')
@Controller('offline-sync/ships')
export class ShipsController {
  constructor(private readonly registry: ShipRegistryService) {}

  @Get()
  @ApiOperation({ summary: 'Every ship that sent a heartbeat: status, queue, lag, version' })
  @ApiOkResponse({ type: ShipListResponse })
  async list(): Promise<{ items: ShipView[]; total: number; online: number }> {
    const items = await this.registry.list();
    return {
      items,
      total: items.length,
      online: items.filter((ship) => ship.status === 'online').length,
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One ship' })
  @ApiOkResponse({ type: ShipResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No heartbeat from such a ship' })
  get(@Param('id') id: string): Promise<ShipView> {
    return this.registry.get(id);
  }
}
