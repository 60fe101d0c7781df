import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MasterStatusResponse } from './dto/master-status.response';
import { StatusService, type MasterStatus } from './status.service';

@ApiTags('sync')
@Controller('offline-sync/status')
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Get()
  @ApiOperation({ summary: 'The master at a glance: ships, documents, conflicts, outbox' })
  @ApiOkResponse({ type: MasterStatusResponse })
  get(): Promise<MasterStatus> {
    return this.status.status();
  }
}
