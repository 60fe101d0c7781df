import { IsShipId, IsWireUuidV7 } from './wire-field.decorators';

/** The ship change a master version came from, so that ship can settle its pending edit. */
export class MasterUpdateOriginDto {
  @IsShipId()
  shipId!: string;

  @IsWireUuidV7()
  changeId!: string;
}
