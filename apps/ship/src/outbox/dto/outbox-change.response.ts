import { ApiProperty } from '@nestjs/swagger';
import {
  ApiJsonObject,
  ApiTimestamp,
  SHIP_CHANGE_OPS,
  type ShipChangeOp,
} from '@offline-sync/sync-core';
import { OUTBOX_STATUSES, type OutboxStatus } from '../sync-queue.table';
import type { OutboxChangeView } from '../outbox-change.view';
import type { QueuePage } from '../outbox-change.view';

export class ChangeOutcomeResponse {
  @ApiProperty({ type: 'integer', nullable: true, description: 'The master version it made' })
  version!: number | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  conflictId!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the master rejected it' })
  reason!: string | null;
}

/** One local change (a row of the ship's sync queue). */
export class OutboxChangeResponse implements OutboxChangeView {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Write order' })
  id!: number;

  @ApiProperty({ format: 'uuid' })
  changeId!: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Per-ship sequence, once sent' })
  seq!: number | null;

  @ApiProperty({ enum: SHIP_CHANGE_OPS })
  op!: ShipChangeOp;

  @ApiProperty({ example: 'article' })
  type!: string;

  @ApiProperty({ format: 'uuid' })
  documentId!: string;

  @ApiProperty({ example: 'en' })
  locale!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  baseVersion!: number;

  @ApiJsonObject({ description: 'The changed fields (the full data of a create)' })
  fields!: Record<string, unknown>;

  @ApiProperty({ enum: OUTBOX_STATUSES })
  status!: OutboxStatus;

  @ApiProperty({ type: 'integer', minimum: 0 })
  attempts!: number;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  messageId!: string | null;

  @ApiProperty({
    type: ChangeOutcomeResponse,
    nullable: true,
    description: "The master's decision, once applied, conflict or rejected",
  })
  outcome!: ChangeOutcomeResponse | null;

  @ApiTimestamp({ description: 'When the crew made the edit (ship clock)' })
  editedAt!: string;

  @ApiTimestamp()
  createdAt!: string;

  @ApiTimestamp()
  updatedAt!: string;

  @ApiTimestamp({ nullable: true })
  sentAt!: string | null;

  @ApiTimestamp({ nullable: true })
  settledAt!: string | null;
}

export class QueuePageResponse implements QueuePage {
  @ApiProperty({ type: [OutboxChangeResponse] })
  items!: OutboxChangeResponse[];

  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  pageSize!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  total!: number;
}
