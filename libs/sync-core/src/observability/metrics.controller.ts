import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';

/**
 * Prometheus text at `/api/offline-sync/metrics`, and at the earlier plugin's
 * `/api/offline-sync/health/metrics` so existing scrape configs keep working. It needs a viewer
 * key (the scraper sends it as a bearer token): per-ship series name every ship and its state.
 */
@ApiExcludeController()
@Controller('offline-sync')
export class MetricsController extends PrometheusController {
  @Get('metrics')
  override index(@Res({ passthrough: true }) response: Response): Promise<string> {
    return super.index(response);
  }

  @Get('health/metrics')
  legacy(@Res({ passthrough: true }) response: Response): Promise<string> {
    return super.index(response);
  }
}
