import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { Principal, RequireRole, type ApiPrincipal } from '@offline-sync/sync-core';
import type { ConflictView } from './conflict.view';
import { ConflictsService, type ConflictPage } from './conflicts.service';
import { ConflictQueryDto } from './dto/conflict-query.dto';
import { ResolveConflictDto } from './dto/resolve-conflict.dto';

@Controller('offline-sync/conflicts')
export class ConflictsController {
  constructor(private readonly conflicts: ConflictsService) {}

  @Get()
  list(@Query() query: ConflictQueryDto): Promise<ConflictPage> {
    return this.conflicts.list(query);
  }

  /** Ship data, master data, base and the field-level difference. */
  @Get(':id')
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ConflictView> {
    return this.conflicts.get(id);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @RequireRole('operator')
  resolve(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ResolveConflictDto,
    @Principal() principal: ApiPrincipal,
  ): Promise<ConflictView> {
    return this.conflicts.resolve(id, body, principal);
  }
}
