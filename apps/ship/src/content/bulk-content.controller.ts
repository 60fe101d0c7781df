import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ErrorResponse, RequireRole } from '@offline-sync/sync-core';
import { ContentService, type BulkWriteResult } from './content.service';
import { BulkWriteRequestDto } from './dto/bulk-write.dto';
import { BulkWriteResultResponse } from './dto/document.response';

/**
 * Many crew writes in one request and one local transaction: for apps that save a set of
 * documents together (all or none), and for imports, where one request per document costs more
 * than the write itself.
 */
@ApiTags('content')
@Controller('content/_bulk')
export class BulkContentController {
  constructor(private readonly content: ContentService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Many writes in one local transaction: all or none',
    description: 'A refused write is named in the error (`writes[3]`); nothing is applied then.',
  })
  @ApiOkResponse({ type: BulkWriteResultResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'A write names a missing document' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'A create names an existing one' })
  @ApiResponse({ status: 507, type: ErrorResponse, description: 'The database is full' })
  @RequireRole('crew')
  write(@Body() body: BulkWriteRequestDto): Promise<BulkWriteResult> {
    return this.content.bulk(body.writes);
  }
}
