import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RequireRole } from '@offline-sync/sync-core';
import { ContentService, type BulkWriteResult } from './content.service';
import { BulkWriteRequestDto } from './dto/bulk-write.dto';

/**
 * Many crew writes in one request and one local transaction: for apps that save a set of
 * documents together (all or none), and for imports, where one request per document costs more
 * than the write itself.
 */
@Controller('content/_bulk')
export class BulkContentController {
  constructor(private readonly content: ContentService) {}

  @Post()
  @HttpCode(200)
  @RequireRole('crew')
  write(@Body() body: BulkWriteRequestDto): Promise<BulkWriteResult> {
    return this.content.bulk(body.writes);
  }
}
