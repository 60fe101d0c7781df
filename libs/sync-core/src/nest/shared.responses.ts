import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import type { ContentChecksum } from '../versioning/content-checksum';

/** `GET /api/offline-sync/checksum` on either app. */
export class ContentChecksumResponse implements ContentChecksum {
  @ApiProperty({
    description: "SHA-256 (hex) over every live document's key, version and canonical data",
    pattern: '^[0-9a-f]{64}$',
    example: '1bf0d905b1a8f1c3e4f10f0a3c1d1b5e9f0e5d1c2b3a4f5e6d7c8b9a0f1e2d3c',
  })
  checksum!: string;

  @ApiProperty({ description: 'Live documents counted', minimum: 0, example: 6 })
  documents!: number;
}

/** Per indicator: `status` (up or down) and what it measured. */
const healthIndicators = (description: string): ApiPropertyOptions => ({
  type: 'object',
  description,
  additionalProperties: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    required: ['status'],
    additionalProperties: true,
  },
  example: { database: { status: 'up' } },
});

/** A health probe's answer (Terminus): 200 when every check is up, 503 otherwise. */
export class HealthCheckResponse {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'], example: 'ok' })
  status!: 'ok' | 'error' | 'shutting_down';

  @ApiPropertyOptional(healthIndicators('The checks that are up'))
  info?: Record<string, unknown>;

  @ApiPropertyOptional(healthIndicators('The checks that are down'))
  error?: Record<string, unknown>;

  @ApiProperty(healthIndicators('Every check'))
  details!: Record<string, unknown>;
}
