import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponse, RequireRole } from '@offline-sync/sync-core';
import { ContentService, type ContentPage } from './content.service';
import type { DocumentView } from './document.view';
import { CreateContentDto } from './dto/create-content.dto';
import { ContentTypeParamsDto, DocumentParamsDto } from './dto/document-params.dto';
import { ContentPageResponse, DocumentResponse } from './dto/document.response';
import { ListContentQueryDto } from './dto/list-content-query.dto';
import { LocaleQueryDto } from './dto/locale-query.dto';
import { UpdateContentDto } from './dto/update-content.dto';

const UNKNOWN = 'No such content type (SYNC_CONTENT_TYPES), or no such live document';
const FULL = 'The database is full: nothing was written';

/** The crew's content API (docs/protocol.md); reads need viewer, writes crew. */
@ApiTags('content')
@ApiNotFoundResponse({ type: ErrorResponse, description: UNKNOWN })
@Controller('content/:type')
export class ContentController {
  constructor(private readonly content: ContentService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Creates a document (or another locale of one), queued for the master' })
  @ApiCreatedResponse({ type: DocumentResponse })
  @ApiConflictResponse({ type: ErrorResponse, description: 'It exists already: PATCH it' })
  @ApiResponse({ status: 507, type: ErrorResponse, description: FULL })
  @RequireRole('crew')
  create(
    @Param() params: ContentTypeParamsDto,
    @Body() body: CreateContentDto,
  ): Promise<DocumentView> {
    return this.content.create(params.type, body);
  }

  @Get()
  @ApiOperation({ summary: 'Live documents of a type, in one locale or all, by id' })
  @ApiOkResponse({ type: ContentPageResponse })
  list(
    @Param() params: ContentTypeParamsDto,
    @Query() query: ListContentQueryDto,
  ): Promise<ContentPage> {
    return this.content.list(params.type, query.locale, query.page ?? 1, query.pageSize ?? 50);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One document in one locale, with its sync state' })
  @ApiOkResponse({ type: DocumentResponse })
  get(@Param() params: DocumentParamsDto, @Query() query: LocaleQueryDto): Promise<DocumentView> {
    return this.content.get(params.type, params.id, query.locale);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Changes some fields, queued for the master' })
  @ApiOkResponse({ type: DocumentResponse })
  @ApiResponse({ status: 507, type: ErrorResponse, description: FULL })
  @RequireRole('crew')
  update(
    @Param() params: DocumentParamsDto,
    @Query() query: LocaleQueryDto,
    @Body() body: UpdateContentDto,
  ): Promise<DocumentView> {
    return this.content.update(params.type, params.id, query.locale, body.data);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes a document in one locale, queued for the master' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiResponse({ status: 507, type: ErrorResponse, description: FULL })
  @RequireRole('crew')
  async remove(@Param() params: DocumentParamsDto, @Query() query: LocaleQueryDto): Promise<void> {
    await this.content.remove(params.type, params.id, query.locale);
  }
}
