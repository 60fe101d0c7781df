import { ApiProperty } from '@nestjs/swagger';
import { ApiCounts } from '@offline-sync/sync-core';
import type { MasterStatus } from '../status.service';

export class ShipCountsResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  total!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  online!: number;
}

export class ConflictCountsResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  open!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  resolved!: number;
}

export class OutboxStatusResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  pending!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  failing!: number;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 0 })
  oldestPendingAgeMs!: number | null;
}

export class MasterStatusResponse implements MasterStatus {
  @ApiProperty({ enum: ['master'] })
  mode!: 'master';

  @ApiProperty({ minimum: 0 })
  uptimeSeconds!: number;

  @ApiProperty({ type: ShipCountsResponse })
  ships!: ShipCountsResponse;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Live documents' })
  documents!: number;

  @ApiProperty({ type: ConflictCountsResponse })
  conflicts!: ConflictCountsResponse;

  @ApiProperty({ type: OutboxStatusResponse })
  outbox!: OutboxStatusResponse;

  @ApiCounts({ description: 'Dead letters per status', example: { pending: 0, exhausted: 1 } })
  deadLetters!: Record<string, number>;

  @ApiCounts({
    description: 'Envelopes refused since this instance started, per reason',
    example: { 'unknown-key': 2 },
  })
  rejectedEnvelopes!: Record<string, number>;
}
