import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';

/*
 * Property decorators for the OpenAPI documents, for the shapes @ApiProperty cannot infer from
 * TypeScript: free-form JSON, timestamps, nullable values.
 */

type Extra = Omit<ApiPropertyOptions, 'type' | 'format' | 'nullable'>;

/** A free-form JSON object (document data, field values by name). */
export const ApiJsonObject = (options: Extra & { nullable?: boolean } = {}): PropertyDecorator =>
  ApiProperty({
    ...options,
    type: 'object',
    additionalProperties: true,
    example: options.example ?? { title: 'Deck log' },
  } as ApiPropertyOptions);

/** Any JSON value, null included (a field of a document); absent when the field is. */
export const ApiJsonValue = (options: Extra = {}): PropertyDecorator =>
  ApiPropertyOptional({
    ...options,
    oneOf: [
      { type: 'string' },
      { type: 'number' },
      { type: 'boolean' },
      { type: 'array', items: {} },
      { type: 'object', additionalProperties: true, nullable: true },
    ],
  } as ApiPropertyOptions);

/** An ISO-8601 timestamp (UTC), or null with `nullable`. */
export const ApiTimestamp = (options: Extra & { nullable?: boolean } = {}): PropertyDecorator =>
  ApiProperty({
    example: '2024-01-15T10:30:00.000Z',
    ...options,
    type: String,
    format: 'date-time',
  } as ApiPropertyOptions);

/** Partition → offset (Kafka offsets are 64-bit: decimal strings). */
export const ApiPartitionOffsets = (options: Extra = {}): PropertyDecorator =>
  ApiProperty({
    example: { '0': '42' },
    ...options,
    type: 'object',
    additionalProperties: { type: 'string', pattern: '^\\d+$' },
  } as ApiPropertyOptions);

/** A count per name (status, kind, reason...). */
export const ApiCounts = (options: Extra = {}): PropertyDecorator =>
  ApiProperty({
    ...options,
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0 },
  } as ApiPropertyOptions);
