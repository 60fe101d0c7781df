import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponse, Principal, type ApiPrincipal } from '@offline-sync/sync-core';
import { RevisionPageResponse } from '../revisions/revision.response';
import type { RevisionPage } from '../revisions/revision.view';
import { ContentService, type ContentDocument, type ContentPage } from './content.service';
import {
  ContentDocumentResponse,
  ContentListQueryDto,
  ContentPageResponse,
  CreateContentDto,
  LocaleQueryDto,
  UpdateContentDto,
} from './dto/content.dto';

const UNKNOWN = 'No such content type (SYNC_CONTENT_TYPES), or no such live document';

/** `/api/content/:type[/:id]?locale=`: the same shape as the ship's content API. */
@ApiTags('content')
@ApiParam({ name: 'type', description: 'A content type of SYNC_CONTENT_TYPES', example: 'article' })
@ApiNotFoundResponse({ type: ErrorResponse, description: UNKNOWN })
@Controller('content/:type')
export class ContentController {
  constructor(private readonly content: ContentService) {}

  @Post()
  @ApiOperation({ summary: 'Creates a document (or another locale of one): version 1' })
  @ApiCreatedResponse({ type: ContentDocumentResponse })
  @ApiConflictResponse({ type: ErrorResponse, description: 'It exists already: PATCH it' })
  create(
    @Param('type') type: string,
    @Body() body: CreateContentDto,
    @Principal() principal: ApiPrincipal,
  ): Promise<ContentDocument> {
    return this.content.create(type, body, principal);
  }

  @Get()
  @ApiOperation({ summary: 'Live documents of a type in one locale, by id' })
  @ApiOkResponse({ type: ContentPageResponse })
  list(@Param('type') type: string, @Query() query: ContentListQueryDto): Promise<ContentPage> {
    return this.content.list(type, query.locale, query.page, query.pageSize);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One document in one locale' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ContentDocumentResponse })
  get(
    @Param('type') type: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: LocaleQueryDto,
  ): Promise<ContentDocument> {
    return this.content.get(type, id, query.locale);
  }

  /** Every version of the document in this locale, oldest first (viewer role). */
  @Get(':id/revisions')
  @ApiOperation({ summary: "A document's edit log in one locale: every version, oldest first" })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: RevisionPageResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No version of this document' })
  revisions(
    @Param('type') type: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ContentListQueryDto,
  ): Promise<RevisionPage> {
    return this.content.revisions(type, id, query.locale, query.page, query.pageSize);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Changes some fields: a new version, sent to every ship' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: ContentDocumentResponse })
  update(
    @Param('type') type: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: LocaleQueryDto,
    @Body() body: UpdateContentDto,
    @Principal() principal: ApiPrincipal,
  ): Promise<ContentDocument> {
    return this.content.update(type, id, query.locale, body.data, principal);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Deletes a document in one locale: a versioned deletion marker' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Deleted' })
  async remove(
    @Param('type') type: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: LocaleQueryDto,
    @Principal() principal: ApiPrincipal,
  ): Promise<void> {
    await this.content.remove(type, id, query.locale, principal);
  }
}
