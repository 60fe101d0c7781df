import { ChangeOutcomesPayloadDto } from './change-outcomes-payload.dto';
import { HeartbeatDto } from './heartbeat.dto';
import { MasterUpdateDto } from './master-update.dto';
import { MessageKind } from './message-kind.enum';
import { ShipChangesPayloadDto } from './ship-changes-payload.dto';
import type { WireContract } from './wire-fields.schema';

/** The payload contract of each message kind. */
export interface PayloadByKind {
  [MessageKind.ShipChanges]: ShipChangesPayloadDto;
  [MessageKind.MasterUpdate]: MasterUpdateDto;
  [MessageKind.ChangeOutcomes]: ChangeOutcomesPayloadDto;
  [MessageKind.Heartbeat]: HeartbeatDto;
}

const PAYLOAD_SCHEMAS: { [K in MessageKind]: WireContract<PayloadByKind[K]> } = {
  [MessageKind.ShipChanges]: ShipChangesPayloadDto,
  [MessageKind.MasterUpdate]: MasterUpdateDto,
  [MessageKind.ChangeOutcomes]: ChangeOutcomesPayloadDto,
  [MessageKind.Heartbeat]: HeartbeatDto,
};

export function payloadSchemaFor<K extends MessageKind>(kind: K): WireContract<PayloadByKind[K]> {
  return PAYLOAD_SCHEMAS[kind];
}
