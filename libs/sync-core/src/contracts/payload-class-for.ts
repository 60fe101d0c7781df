import { ChangeOutcomesPayloadDto } from './change-outcomes-payload.dto';
import { HeartbeatDto } from './heartbeat.dto';
import { MasterUpdateDto } from './master-update.dto';
import { MessageKind } from './message-kind.enum';
import { ShipChangesPayloadDto } from './ship-changes-payload.dto';

/** The payload contract of each message kind. */
export interface PayloadByKind {
  [MessageKind.ShipChanges]: ShipChangesPayloadDto;
  [MessageKind.MasterUpdate]: MasterUpdateDto;
  [MessageKind.ChangeOutcomes]: ChangeOutcomesPayloadDto;
  [MessageKind.Heartbeat]: HeartbeatDto;
}

const PAYLOAD_CLASSES: { [K in MessageKind]: new () => PayloadByKind[K] } = {
  [MessageKind.ShipChanges]: ShipChangesPayloadDto,
  [MessageKind.MasterUpdate]: MasterUpdateDto,
  [MessageKind.ChangeOutcomes]: ChangeOutcomesPayloadDto,
  [MessageKind.Heartbeat]: HeartbeatDto,
};

export function payloadClassFor<K extends MessageKind>(kind: K): new () => PayloadByKind[K] {
  return PAYLOAD_CLASSES[kind];
}
