import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';

/**
 * Prometheus text at `/api/offline-sync/metrics`, and at the earlier plugin's
 * `/api/offline-sync/health/metrics` so existing scrape configs keep working. Open like health
 * probes: it carries counts, never content.
 */
@Public()
@ApiExcludeController()
@Controller('offline-sync')
export class PublicMetricsController extends PrometheusController {
  @Get('metrics')
  override index(@Res({ passthrough: true }) response: Response): Promise<string> {
    return super.index(response);
  }

  @Get('health/metrics')
  legacy(@Res({ passthrough: true }) response: Response): Promise<string> {
    return super.index(response);
  }
}
