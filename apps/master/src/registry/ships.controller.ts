import { Controller, Get, Param } from '@nestjs/common';
import { ShipRegistryService } from './ship-registry.service';
import type { ShipView } from './ship.view';

@Controller('offline-sync/ships')
export class ShipsController {
  constructor(private readonly registry: ShipRegistryService) {}

  @Get()
  async list(): Promise<{ items: ShipView[]; total: number; online: number }> {
    const items = await this.registry.list();
    return {
      items,
      total: items.length,
      online: items.filter((ship) => ship.status === 'online').length,
    };
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<ShipView> {
    return this.registry.get(id);
  }
}
