import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { Principal, RequireRole, type ApiPrincipal } from '@offline-sync/sync-core';
import type { ConflictView } from './conflict.view';
import { ConflictsService, type ConflictPage } from './conflicts.service';
import { ConflictQueryDto } from './dto/conflict-query.dto';
import { ResolveConflictDto } from './dto/resolve-conflict.dto';
import { ResolveConflictsDto, type BulkResolveResult } from './dto/resolve-conflicts.dto';
import { RestoreSideDto } from './dto/restore-side.dto';

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

  /** Several conflicts settled keep-ship or keep-master, each answered with its own status. */
  @Post('resolve')
  @HttpCode(200)
  @RequireRole('operator')
  resolveMany(
    @Body() body: ResolveConflictsDto,
    @Principal() principal: ApiPrincipal,
  ): Promise<BulkResolveResult> {
    return this.conflicts.resolveMany(body, principal);
  }

  /** A resolved conflict's ship or master side put back as a new, recorded version. */
  @Post(':id/restore')
  @HttpCode(200)
  @RequireRole('operator')
  restore(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RestoreSideDto,
    @Principal() principal: ApiPrincipal,
  ): Promise<ConflictView> {
    return this.conflicts.restore(id, body.side, principal);
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
