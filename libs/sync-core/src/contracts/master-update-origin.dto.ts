import type { Static } from '@sinclair/typebox';
import { shipId, wireContract, wireUuidV7 } from './wire-fields.schema';

/** The ship change a master version came from, so that ship can settle its pending edit. */
export const MasterUpdateOriginDto = wireContract({
  shipId: shipId(),
  changeId: wireUuidV7(),
});
export type MasterUpdateOriginDto = Static<typeof MasterUpdateOriginDto>;
