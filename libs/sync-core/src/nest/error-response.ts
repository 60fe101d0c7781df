import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorBody } from './sync-exception.filter';

/** One invalid field of a refused request. */
export class FieldErrorResponse {
  @ApiProperty({
    description: 'Path of the offending field: `data.title`, `writes[3].id`, `body`, `(input)`',
    example: 'data',
  })
  field!: string;

  @ApiProperty({ example: 'must be a JSON object' })
  reason!: string;
}

/** The body of every error answer of both apps (SyncExceptionFilter). */
export class ErrorResponse implements ErrorBody {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({ example: 'Validation failed: data: must be a JSON object' })
  message!: string;

  @ApiPropertyOptional({
    type: [FieldErrorResponse],
    description: 'Each invalid field and why (validation errors, size limits)',
  })
  errors?: FieldErrorResponse[];

  @ApiPropertyOptional({
    description: 'The size limit a 413 refers to, in bytes',
    example: 1048576,
  })
  maxBytes?: number;

  @ApiPropertyOptional({ example: '/api/content/article' })
  path?: string;

  @ApiProperty({ format: 'date-time', example: '2024-01-15T10:30:00.000Z' })
  timestamp!: string;
}
