import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { RequireRole } from '@offline-sync/sync-core';
import { ContentService, type ContentPage } from './content.service';
import type { DocumentView } from './document.view';
import { CreateContentDto } from './dto/create-content.dto';
import { ContentTypeParamsDto, DocumentParamsDto } from './dto/document-params.dto';
import { ListContentQueryDto } from './dto/list-content-query.dto';
import { LocaleQueryDto } from './dto/locale-query.dto';
import { UpdateContentDto } from './dto/update-content.dto';

/** The crew's content API (docs/protocol.md); reads need viewer, writes crew. */
@Controller('content/:type')
export class ContentController {
  constructor(private readonly content: ContentService) {}

  @Post()
  @HttpCode(201)
  @RequireRole('crew')
  create(
    @Param() params: ContentTypeParamsDto,
    @Body() body: CreateContentDto,
  ): Promise<DocumentView> {
    return this.content.create(params.type, body);
  }

  @Get()
  list(
    @Param() params: ContentTypeParamsDto,
    @Query() query: ListContentQueryDto,
  ): Promise<ContentPage> {
    return this.content.list(params.type, query.locale, query.page ?? 1, query.pageSize ?? 50);
  }

  @Get(':id')
  get(@Param() params: DocumentParamsDto, @Query() query: LocaleQueryDto): Promise<DocumentView> {
    return this.content.get(params.type, params.id, query.locale);
  }

  @Patch(':id')
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
  @RequireRole('crew')
  async remove(@Param() params: DocumentParamsDto, @Query() query: LocaleQueryDto): Promise<void> {
    await this.content.remove(params.type, params.id, query.locale);
  }
}
