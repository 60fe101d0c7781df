import { IsBoolean, IsOptional } from 'class-validator';

export class PushDto {
  /** Also re-send changes that exhausted their retries (default true). */
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  retryFailed?: boolean;
}
