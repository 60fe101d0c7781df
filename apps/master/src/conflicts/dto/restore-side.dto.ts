import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

/** Which side of a resolved conflict to put back as a new version. */
export class RestoreSideDto {
  @ApiProperty({ enum: ['ship', 'master'] })
  @IsIn(['ship', 'master'], { message: 'must be ship or master' })
  side!: 'ship' | 'master';
}
