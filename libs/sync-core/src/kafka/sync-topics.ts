import { createHash } from 'node:crypto';

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
  /** master → one ship (or one group of ships): the outcome of each of its changes. */
  ChangeOutcomes = 'change-outcomes',
  /** ships → master, kept apart so heartbeats never wait behind a data backlog. */
  Heartbeats = 'heartbeats',
}

export interface SyncTopicNames {
  shipUpdates: string;
  masterUpdates: string;
  /** Outcomes go to one topic per ship, so a ship on a costly link reads only its own. */
  outcomesPrefix: string;
  /**
   * 0: one outcome topic per ship. N: N topics, each shared by the ships whose id hashes to it
   * (a broker that cannot hold a topic per ship of a large fleet; see ADR 0012).
   */
  outcomeTopicGroups: number;
  heartbeats: string;
}

export interface SyncTopicNameSettings {
  prefix: string;
  shipUpdates: string;
  masterUpdates: string;
  outcomesPrefix: string;
  outcomeTopicGroups?: number;
  heartbeats: string;
}

export function resolveTopicNames(settings: SyncTopicNameSettings): SyncTopicNames {
  return {
    shipUpdates: settings.prefix + settings.shipUpdates,
    masterUpdates: settings.prefix + settings.masterUpdates,
    outcomesPrefix: settings.prefix + settings.outcomesPrefix,
    outcomeTopicGroups: settings.outcomeTopicGroups ?? 0,
    heartbeats: settings.prefix + settings.heartbeats,
  };
}

/** The topic a ship's outcomes go to: its own, or its group's when outcome topics are grouped. */
export function outcomesTopicFor(names: SyncTopicNames, shipId: string): string {
  const groups = names.outcomeTopicGroups;
  if (groups === 0) return `${names.outcomesPrefix}${shipId}`;
  return `${names.outcomesPrefix}group-${outcomeTopicGroupOf(shipId, groups)}-of-${groups}`;
}

/**
 * The group of a ship's outcome topic: the first four bytes of the SHA-256 of its id, modulo the
 * number of groups. Master and ships compute it alike, whatever their language or version.
 */
export function outcomeTopicGroupOf(shipId: string, groups: number): number {
  return createHash('sha256').update(shipId, 'utf8').digest().readUInt32BE(0) % groups;
}

/** True when a ship's outcome topic may carry other ships' outcomes, which it then skips. */
export function outcomeTopicsShared(names: SyncTopicNames): boolean {
  return names.outcomeTopicGroups > 0;
}

/**
 * Settings of a ship's outcome topic: outcomes are kept as long as the settled history they
 * answer for (SYNC_RETENTION_DAYS). A ship dark for longer re-asks for what it missed (see
 * docs/protocol.md, "Guarantees"), so nothing depends on the topic keeping them.
 */
export function outcomeTopicConfig(retentionDays: number): Record<string, string> {
  return { 'retention.ms': String(retentionDays * 24 * 3600 * 1000) };
}
