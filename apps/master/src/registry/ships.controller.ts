import { Controller, Get, Param, Query } from '@nestjs/common';
import { ShipQueryDto } from './dto/ship-query.dto';
import { ShipRegistryService, type ShipPage } from './ship-registry.service';
import type { ShipView } from './ship.view';

@Controller('offline-sync/ships')
export class ShipsController {
  constructor(private readonly registry: ShipRegistryService) {}

  /** One page of the fleet (`?status=&sort=&page=&pageSize=`), with the fleet's counts. */
  @Get()
  list(@Query() query: ShipQueryDto): Promise<ShipPage> {
    return this.registry.list(query);
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<ShipView> {
    return this.registry.get(id);
  }
}
