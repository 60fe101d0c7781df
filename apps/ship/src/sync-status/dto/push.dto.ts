import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class PushDto {
  /** Also re-send changes that exhausted their retries (default true). */
  @ApiPropertyOptional({
    default: true,
    description: 'Also re-send changes that exhausted their retries',
  })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  retryFailed?: boolean;
}
