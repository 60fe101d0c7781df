import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ContentChecksum } from '@offline-sync/sync-core';
import { ChecksumService } from './checksum.service';

@ApiTags('sync')
@Controller('offline-sync/checksum')
export class ChecksumController {
  constructor(private readonly checksums: ChecksumService) {}

  @Get()
  @ApiOperation({ summary: 'Fingerprint of the live content: equal on every converged node' })
  get(): Promise<ContentChecksum> {
    return this.checksums.checksum();
  }
}
