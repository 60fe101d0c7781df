import { MASTER_SENDER } from '../contracts/wire-patterns.constants';
import { MessageKind } from '../contracts/message-kind.enum';

/** Who may send each kind; enforced after the signature, so a ship cannot pose as the master. */
export const KIND_SENDER_ROLE: Readonly<Record<MessageKind, 'master' | 'ship'>> = {
  [MessageKind.ShipChanges]: 'ship',
  [MessageKind.Heartbeat]: 'ship',
  [MessageKind.MasterUpdate]: 'master',
  [MessageKind.ChangeOutcomes]: 'master',
};

export function senderRole(sender: string): 'master' | 'ship' {
  return sender === MASTER_SENDER ? 'master' : 'ship';
}
