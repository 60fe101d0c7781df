import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import type { Response } from 'express';

const PROMETHEUS_TEXT = {
  description: 'Prometheus text exposition format (version 0.0.4)',
  schema: { type: 'string', example: 'offline_sync_uptime_seconds 42\n' },
} as const;

/**
 * Prometheus text at `/api/offline-sync/metrics`, and at the earlier plugin's
 * `/api/offline-sync/health/metrics` so existing scrape configs keep working. It needs a viewer
 * key (the scraper sends it as a bearer token): per-ship series name every ship and its state.
 */
@ApiTags('metrics')
@ApiProduces('text/plain')
@Controller('offline-sync')
export class MetricsController extends PrometheusController {
  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiOkResponse(PROMETHEUS_TEXT)
  override index(@Res({ passthrough: true }) response: Response): Promise<string> {
    return super.index(response);
  }

  @Get('health/metrics')
  @ApiOperation({ summary: 'Prometheus metrics at the earlier path', deprecated: true })
  @ApiOkResponse(PROMETHEUS_TEXT)
  legacy(@Res({ passthrough: true }) response: Response): Promise<string> {
    return super.index(response);
  }
}
