import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class PullDto {
  /** `stored` (default): from the positions kept in the ship's database; `beginning`: re-read all. */
  @ApiPropertyOptional({
    enum: ['stored', 'beginning'],
    default: 'stored',
    description: 'stored: from the positions the ship keeps; beginning: re-read everything',
  })
  @IsOptional()
  @IsIn(['stored', 'beginning'], { message: 'must be stored or beginning' })
  from?: 'stored' | 'beginning';
}
