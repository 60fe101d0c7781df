/**
 * Logical topics of the sync protocol. Handlers subscribe to these names
 * (`@EventPattern(SyncTopic.ShipUpdates)`); the transport maps them to the configured
 * Kafka topic names, so deployments can rename or prefix topics without code changes.
 */
export enum SyncTopic {
  /** ships → master, keyed by ship id (per-ship order). */
  ShipUpdates = 'ship-updates',
  /** master → all ships, compacted, keyed by (type, id, locale). */
  MasterUpdates = 'master-updates',
  /** master → one ship: the outcome of each of its changes. */
  ChangeOutcomes = 'change-outcomes',
  /** ships → master, kept apart so heartbeats never wait behind a data backlog. */
  Heartbeats = 'heartbeats',
}

export interface SyncTopicNames {
  shipUpdates: string;
  masterUpdates: string;
  /** Outcomes go to one topic per ship, so a ship on a costly link reads only its own. */
  outcomesPrefix: string;
  heartbeats: string;
}

export interface SyncTopicNameSettings {
  prefix: string;
  shipUpdates: string;
  masterUpdates: string;
  outcomesPrefix: string;
  heartbeats: string;
}

export function resolveTopicNames(settings: SyncTopicNameSettings): SyncTopicNames {
  return {
    shipUpdates: settings.prefix + settings.shipUpdates,
    masterUpdates: settings.prefix + settings.masterUpdates,
    outcomesPrefix: settings.prefix + settings.outcomesPrefix,
    heartbeats: settings.prefix + settings.heartbeats,
  };
}

export function outcomesTopicFor(names: SyncTopicNames, shipId: string): string {
  return `${names.outcomesPrefix}${shipId}`;
}

/**
 * Settings of a ship's outcome topic: outcomes are kept as long as the settled history they
 * answer for (SYNC_RETENTION_DAYS). A ship dark for longer re-asks for what it missed (see
 * docs/protocol.md, "Guarantees"), so nothing depends on the topic keeping them.
 */
export function outcomeTopicConfig(retentionDays: number): Record<string, string> {
  return { 'retention.ms': String(retentionDays * 24 * 3600 * 1000) };
}
