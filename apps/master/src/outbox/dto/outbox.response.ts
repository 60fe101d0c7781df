import { ApiProperty } from '@nestjs/swagger';
import { ApiTimestamp } from '@offline-sync/sync-core';
import type { OutboxSummary } from '../outbox-queue.service';

export class OutboxKindCountsResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  pending!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  sent!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  parked!: number;
}

export class OutboxSummaryResponse implements OutboxSummary {
  @ApiProperty({ type: 'integer', minimum: 0 })
  pending!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  sent!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Pending rows whose last send failed' })
  failing!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Rows that can never be sent, each with a dead letter saying why',
  })
  parked!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/OutboxKindCountsResponse' },
    description: 'The same counts per message kind (master-update, change-outcomes)',
  })
  byKind!: Record<string, OutboxKindCountsResponse>;
}

/** A master outbox row, without its payload. */
export class OutboxMessageResponse {
  @ApiProperty({ pattern: '^\\d+$' })
  id!: string;

  @ApiProperty({ enum: ['master-update', 'change-outcomes'] })
  kind!: string;

  @ApiProperty({ format: 'uuid' })
  messageId!: string;

  @ApiProperty()
  topic!: string;

  @ApiProperty()
  key!: string;

  @ApiProperty({ enum: ['pending', 'sent', 'parked'] })
  status!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  attempts!: number;

  @ApiProperty({ type: String, nullable: true })
  lastError!: string | null;

  @ApiTimestamp()
  createdAt!: string;

  @ApiTimestamp({ nullable: true })
  sentAt!: string | null;
}

export class OutboxPendingPageResponse {
  @ApiProperty({ type: [OutboxMessageResponse] })
  items!: OutboxMessageResponse[];

  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  pageSize!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  total!: number;
}

export class PushAcceptedResponse {
  @ApiProperty({ enum: [true] })
  accepted!: true;
}
