import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsUUID } from 'class-validator';
import type { ResolutionStrategy } from '../entities/conflict.entity';

/** Most conflicts one bulk request resolves. */
export const MAX_BULK_RESOLVE = 200;

/** Several conflicts, each settled the same way: keep-ship or keep-master (merge needs data). */
export class ResolveConflictsDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: MAX_BULK_RESOLVE,
    description: 'Conflict ids',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_RESOLVE)
  @IsUUID('all', { each: true, message: 'must be conflict ids (UUIDs)' })
  ids!: string[];

  @ApiProperty({ enum: ['keep-ship', 'keep-master'] })
  @IsIn(['keep-ship', 'keep-master'], { message: 'must be keep-ship or keep-master' })
  strategy!: Exclude<ResolutionStrategy, 'merge'>;
}

/** What became of each conflict of a bulk request, by the status its single request would get. */
export interface BulkResolveResult {
  results: Array<{ id: string; status: number; message?: string }>;
}

export class BulkResolveItemResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: 'integer', example: 200, description: 'As its own resolve request' })
  status!: number;

  @ApiProperty({ required: false, description: 'Why it was not resolved' })
  message?: string;
}

export class BulkResolveResponse implements BulkResolveResult {
  @ApiProperty({ type: [BulkResolveItemResponse], description: 'In the order of the ids' })
  results!: BulkResolveItemResponse[];
}
