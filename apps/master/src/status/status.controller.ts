import { Controller, Get } from '@nestjs/common';
import { StatusService, type MasterStatus } from './status.service';

@Controller('offline-sync/status')
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Get()
  get(): Promise<MasterStatus> {
    return this.status.status();
  }
}
