import { ApiProperty } from '@nestjs/swagger';
import { ApiPartitionOffsets, ApiTimestamp } from '@offline-sync/sync-core';
import type { ShipView } from '../ship.view';

export class ShipResponse implements ShipView {
  @ApiProperty({ example: 'ship-a' })
  id!: string;

  @ApiProperty({ enum: ['online', 'offline'] })
  status!: string;

  @ApiTimestamp()
  lastSeenAt!: string;

  @ApiTimestamp()
  lastHeartbeatAt!: string;

  @ApiTimestamp()
  firstSeenAt!: string;

  @ApiProperty({ example: '0.1.0' })
  appVersion!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: "Changes waiting to reach the broker (the ship's latest heartbeat)",
  })
  queueDepth!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Changes the broker has that wait for their outcome',
  })
  awaitingOutcome!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  failedCount!: number;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 0 })
  oldestPendingAgeMs!: number | null;

  @ApiPartitionOffsets({ description: 'master-updates partition → next offset the ship applies' })
  appliedPosition!: Record<string, string>;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    minimum: 0,
    description: 'master-updates messages not applied yet; null when Kafka could not be asked',
  })
  lag!: number | null;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Open conflicts of its changes' })
  openConflicts!: number;
}

export class ShipListResponse {
  @ApiProperty({ type: [ShipResponse] })
  items!: ShipResponse[];

  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  pageSize!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Ships matching the query' })
  total!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Ships online in the whole fleet' })
  online!: number;
}
