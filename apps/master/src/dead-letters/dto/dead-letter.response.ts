import { ApiProperty } from '@nestjs/swagger';
import { ApiTimestamp } from '@offline-sync/sync-core';

/** A dead letter as the API returns it (timestamps as ISO-8601 strings). */
export class DeadLetterResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'offline-sync.ship-updates' })
  topic!: string;

  @ApiProperty({
    type: 'integer',
    minimum: -1,
    description: '-1: a message the master could not send (a parked outbox row)',
  })
  partition!: number;

  @ApiProperty({ pattern: '^\\d+$', description: 'Kafka offset (or outbox row id), decimal' })
  offset!: string;

  @ApiProperty({ type: String, nullable: true, description: 'The Kafka key' })
  key!: string | null;

  @ApiProperty({ description: 'The message as received, in `valueEncoding`' })
  value!: string;

  @ApiProperty({ enum: ['utf8', 'base64'] })
  valueEncoding!: 'utf8' | 'base64';

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  headers!: Record<string, string>;

  @ApiProperty({ description: 'Why it was refused', example: 'invalid-signature' })
  reason!: string;

  @ApiProperty({ description: 'The details of the refusal' })
  detail!: string;

  @ApiProperty({ type: String, nullable: true, example: 'ship-a' })
  sender!: string | null;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  messageId!: string | null;

  @ApiProperty({ enum: ['pending', 'retrying', 'exhausted', 'resolved'] })
  status!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  attempts!: number;

  @ApiTimestamp({ nullable: true })
  nextAttemptAt!: string | null;

  @ApiTimestamp({ nullable: true })
  lastAttemptAt!: string | null;

  @ApiTimestamp()
  createdAt!: string;

  @ApiTimestamp()
  updatedAt!: string;
}

export class DeadLetterPageResponse {
  @ApiProperty({ type: [DeadLetterResponse] })
  items!: DeadLetterResponse[];

  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  pageSize!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  total!: number;
}
