import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponse, Principal, RequireRole, type ApiPrincipal } from '@offline-sync/sync-core';
import type { ConflictView } from './conflict.view';
import { ConflictsService, type ConflictPage } from './conflicts.service';
import { ConflictQueryDto } from './dto/conflict-query.dto';
import { ConflictPageResponse, ConflictResponse } from './dto/conflict.response';
import { ResolveConflictDto } from './dto/resolve-conflict.dto';
import {
  BulkResolveResponse,
  ResolveConflictsDto,
  type BulkResolveResult,
} from './dto/resolve-conflicts.dto';
import { RestoreSideDto } from './dto/restore-side.dto';

@ApiTags('conflicts')
@Controller('offline-sync/conflicts')
export class ConflictsController {
  constructor(private readonly conflicts: ConflictsService) {}

  @Get()
  @ApiOperation({ summary: 'Conflicts, newest first, filtered by status, ship, type, locale' })
  @ApiOkResponse({ type: ConflictPageResponse })
  list(@Query() query: ConflictQueryDto): Promise<ConflictPage> {
    return this.conflicts.list(query);
  }

  /** Ship data, master data, base and the field-level difference. */
  @Get(':id')
  @ApiOperation({ summary: 'One conflict: ship data, master data, base and field differences' })
  @ApiOkResponse({ type: ConflictResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No such conflict' })
  @ApiParam({ name: 'id', format: 'uuid' })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ConflictView> {
    return this.conflicts.get(id);
  }

  /** Several conflicts settled keep-ship or keep-master, each answered with its own status. */
  @Post('resolve')
  @HttpCode(200)
  @RequireRole('operator')
  @ApiOperation({
    summary: 'Resolves several conflicts keep-ship or keep-master, each on its own',
    description:
      'Each conflict gets the status its own resolve request would: 200 resolved, 404 unknown, ' +
      '409 already resolved, 400/413 refused data. One refused does not stop the others.',
  })
  @ApiOkResponse({ type: BulkResolveResponse })
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
  @ApiOperation({
    summary: "Puts a resolved conflict's ship or master side back as a new version",
    description:
      'A new master version by master:<operator>, sent to every ship and recorded with the ' +
      'conflict (`restorations`).',
  })
  @ApiOkResponse({ type: ConflictResponse, description: 'The conflict with its restorations' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No such conflict' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'The conflict is still open' })
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
  @ApiOperation({
    summary: 'Resolves a conflict: keep-ship, keep-master, or merge with mergeData',
    description: 'The result becomes a new master version and reaches every ship.',
  })
  @ApiOkResponse({ type: ConflictResponse, description: 'The resolved conflict' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No such conflict' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Already resolved' })
  resolve(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ResolveConflictDto,
    @Principal() principal: ApiPrincipal,
  ): Promise<ConflictView> {
    return this.conflicts.resolve(id, body, principal);
  }
}
