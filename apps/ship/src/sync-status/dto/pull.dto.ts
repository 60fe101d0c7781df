import { IsIn, IsOptional } from 'class-validator';

export class PullDto {
  /** `stored` (default): from the positions kept in the ship's database; `beginning`: re-read all. */
  @IsOptional()
  @IsIn(['stored', 'beginning'], { message: 'must be stored or beginning' })
  from?: 'stored' | 'beginning';
}
