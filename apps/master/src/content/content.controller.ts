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
import { Principal, type ApiPrincipal } from '@offline-sync/sync-core';
import type { RevisionPage } from '../revisions/revision.view';
import { ContentService, type ContentDocument, type ContentPage } from './content.service';
import {
  ContentListQueryDto,
  CreateContentDto,
  LocaleQueryDto,
  UpdateContentDto,
} from './dto/content.dto';

/** `/api/content/:type[/:id]?locale=`: the same shape as the ship's content API. */
@Controller('content/:type')
export class ContentController {
  constructor(private readonly content: ContentService) {}

  @Post()
  create(
    @Param('type') type: string,
    @Body() body: CreateContentDto,
    @Principal() principal: ApiPrincipal,
  ): Promise<ContentDocument> {
    return this.content.create(type, body, principal);
  }

  @Get()
  list(@Param('type') type: string, @Query() query: ContentListQueryDto): Promise<ContentPage> {
    return this.content.list(type, query.locale, query.page, query.pageSize);
  }

  @Get(':id')
  get(
    @Param('type') type: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: LocaleQueryDto,
  ): Promise<ContentDocument> {
    return this.content.get(type, id, query.locale);
  }

  /** Every version of the document in this locale, oldest first (viewer role). */
  @Get(':id/revisions')
  revisions(
    @Param('type') type: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ContentListQueryDto,
  ): Promise<RevisionPage> {
    return this.content.revisions(type, id, query.locale, query.page, query.pageSize);
  }

  @Patch(':id')
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
  async remove(
    @Param('type') type: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: LocaleQueryDto,
    @Principal() principal: ApiPrincipal,
  ): Promise<void> {
    await this.content.remove(type, id, query.locale, principal);
  }
}
