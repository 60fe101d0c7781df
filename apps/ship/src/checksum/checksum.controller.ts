import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ContentChecksumResponse, type ContentChecksum } from '@offline-sync/sync-core';
import { ChecksumService } from './checksum.service';

@ApiTags('sync')
@Controller('offline-sync/checksum')
export class ChecksumController {
  constructor(private readonly checksums: ChecksumService) {}

  @Get()
  @ApiOperation({ summary: 'Fingerprint of the live content: equal on every converged node' })
  @ApiOkResponse({ type: ContentChecksumResponse })
  get(): Promise<ContentChecksum> {
    return this.checksums.checksum();
  }
}
