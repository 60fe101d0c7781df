import { ApiProperty } from '@nestjs/swagger';
import { ApiPartitionOffsets, ApiTimestamp, type PartitionHold } from '@offline-sync/sync-core';
import type { LinkState, LinkStatus } from '../../connectivity/link-state';
import type { StorageFull } from '../../core/database/storage-state';
import type { CatchUpResult } from '../../inbox/inbox-catch-up.service';
import type { InboxConsumerState } from '../../inbox/ship-inbox.server';
import type { OutboxStatus } from '../../outbox/sync-queue.table';
import type { ShipSyncStatus } from '../sync-status.service';

const CONSUMER_STATES: InboxConsumerState[] = ['stopped', 'starting', 'running'];

export class LinkStatusResponse implements LinkStatus {
  @ApiProperty({ enum: ['unknown', 'online', 'offline'] })
  state!: LinkState;

  @ApiTimestamp({ nullable: true, description: 'When the current state was entered' })
  since!: string | null;

  @ApiTimestamp({ nullable: true })
  lastCheckAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last check failed' })
  lastError!: string | null;
}

export class PartitionHoldResponse implements PartitionHold {
  @ApiProperty()
  topic!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  partition!: number;

  @ApiProperty({
    pattern: '^\\d+$',
    description: 'The held message: nothing from it on is applied',
  })
  offset!: string;

  @ApiProperty({ example: 'unknown-key' })
  reason!: string;

  @ApiProperty()
  detail!: string;

  @ApiTimestamp()
  since!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  attempts!: number;

  @ApiTimestamp()
  nextAttemptAt!: string;
}

export class StorageFullResponse implements StorageFull {
  @ApiTimestamp()
  since!: string;

  @ApiProperty()
  message!: string;
}

export class DatabaseStatusResponse {
  @ApiProperty({ enum: ['sqlite', 'postgres'] })
  client!: 'sqlite' | 'postgres';

  @ApiProperty({ type: 'integer', minimum: 0 })
  bytes!: number;

  @ApiProperty({ type: 'integer', nullable: true })
  pageLimit!: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  maxBytes!: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  freeBytes!: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  walBytes!: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  diskFreeBytes!: number | null;

  @ApiProperty({
    type: StorageFullResponse,
    nullable: true,
    description: 'Since when it is full; null while it takes writes',
  })
  full!: StorageFullResponse | null;
}

/** Queue rows per status. */
export class QueueCountsResponse implements Record<OutboxStatus, number> {
  @ApiProperty({ type: 'integer', minimum: 0 })
  pending!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  sending!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  sent!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  failed!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  applied!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  conflict!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  rejected!: number;
}

export class ShipSyncStatusResponse implements ShipSyncStatus {
  @ApiProperty({ example: 'ship-a' })
  shipId!: string;

  @ApiProperty({ enum: ['replica'] })
  mode!: 'replica';

  @ApiProperty({ example: '0.1.0' })
  appVersion!: string;

  @ApiProperty()
  online!: boolean;

  @ApiProperty({ type: LinkStatusResponse })
  link!: LinkStatusResponse;

  @ApiProperty({ enum: CONSUMER_STATES })
  inboundConsumer!: InboxConsumerState;

  @ApiProperty({
    type: [PartitionHoldResponse],
    description: 'Inbound partitions held at a message this ship cannot verify yet',
  })
  inboundHolds!: PartitionHoldResponse[];

  @ApiTimestamp({ nullable: true })
  lastPushAt!: string | null;

  @ApiTimestamp({ nullable: true })
  lastPullAt!: string | null;

  @ApiTimestamp({ nullable: true })
  lastOutcomeAt!: string | null;

  @ApiTimestamp({ nullable: true })
  lastHeartbeatAt!: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Not yet confirmed by the broker' })
  pending!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: "Sent, waiting for the master's outcome",
  })
  awaitingOutcome!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Exhausted their retries' })
  failed!: number;

  @ApiProperty({ type: QueueCountsResponse })
  queue!: QueueCountsResponse;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 0 })
  oldestPendingAgeMs!: number | null;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Documents with an open conflict' })
  conflicts!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Documents whose last change was rejected',
  })
  rejected!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  deadLetters!: number;

  @ApiPartitionOffsets({ description: 'master-updates partition → next offset to apply' })
  appliedPosition!: Record<string, string>;

  @ApiProperty({ type: DatabaseStatusResponse })
  database!: DatabaseStatusResponse;
}

export class PushStartedResponse {
  @ApiProperty({ description: 'The link is up' })
  online!: boolean;

  @ApiProperty({ description: 'A send of the queue started (only when online)' })
  started!: boolean;
}

export class PullResponse implements CatchUpResult {
  @ApiProperty({ description: 'The link is up' })
  online!: boolean;

  @ApiProperty({ enum: CONSUMER_STATES })
  consumer!: InboxConsumerState;

  @ApiPartitionOffsets({
    description: 'Where each master-updates partition was sent; empty when not running',
  })
  seekedTo!: Record<string, string>;
}
