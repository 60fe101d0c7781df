/** What an envelope carries; each kind has exactly one payload contract (see payloadSchemaFor). */
export enum MessageKind {
  /** Ship → master: a batch of the ship's local changes. */
  ShipChanges = 'ship-changes',
  /** Master → all ships: the full current state of one document (compacted topic). */
  MasterUpdate = 'master-update',
  /** Master → one ship: what happened to each of its changes. */
  ChangeOutcomes = 'change-outcomes',
  /** Ship → master: liveness and backlog figures. */
  Heartbeat = 'heartbeat',
}

export const MESSAGE_KINDS: readonly MessageKind[] = Object.values(MessageKind);

export function isMessageKind(value: unknown): value is MessageKind {
  return typeof value === 'string' && (MESSAGE_KINDS as readonly string[]).includes(value);
}
