/** Every size a scenario uses; each can be set with `--<name> <number>` (e.g. `--backlog 20000`). */
export interface Sizes {
  /**
   * Scenario 1 and 7: ships writing at once, API calls in flight per ship, writes per call (bulk
   * requests; 1 = a request per document), measured seconds.
   */
  ingestShips: number;
  ingestConcurrency: number;
  ingestBulk: number;
  /** Scenario 1 also measures single-document requests (16 in flight per ship) this long. */
  ingestSingleSeconds: number;
  ingestSeconds: number;
  warmupSeconds: number;
  /** Raw kafkajs baseline: messages produced and consumed. */
  rawMessages: number;
  /** Scenario 2: pending changes on the reconnecting ship; API calls in flight while seeding. */
  backlog: number;
  seedConcurrency: number;
  seedBulk: number;
  /** Cap on seeding time for scenarios 2, 3 and 6 (the scenario reports how many it wrote). */
  seedSeconds: number;
  /** Scenario 3: master documents fanned out and bootstrapped. */
  documents: number;
  /** Scenario 4: steady write rate and measured seconds. */
  latencyRate: number;
  latencySeconds: number;
  /** Scenario 5: one-field edits per (batch size, compression) ship. */
  wireEdits: number;
  /** Scenario 6: backlog sent over the satellite link. */
  satelliteBacklog: number;
  /** Scenario 7: share of writes that edit a document other ships edit too, in percent. */
  conflictPercent: number;
  conflictPool: number;
  conflictSeconds: number;
  /** Scenario 9: documents replicated by PouchDB. */
  peerDocuments: number;
  /**
   * Scenario 10: the largest and smallest simulated fleet (of 100, 1,000 and 10,000), the
   * aggregate change rate, each ship's heartbeat interval, SYNC_SHIP_OFFLINE_AFTER, the length
   * of each measured window, and how many ships read their outcomes.
   */
  fleetMax: number;
  fleetMin: number;
  fleetChangeRate: number;
  fleetHeartbeatSeconds: number;
  fleetOfflineAfterSeconds: number;
  fleetSeconds: number;
  fleetSampled: number;
  /** KAFKA_OUTCOME_TOPIC_GROUPS of the fleet's master: 0 for a topic per ship. */
  fleetOutcomeGroups: number;
  /** Upper bound for any one wait (a benchmark reports "not reached" past it, never fails). */
  waitLimitSeconds: number;
}

export const FULL_SIZES: Sizes = {
  ingestShips: 2,
  ingestConcurrency: 4,
  ingestBulk: 100,
  ingestSingleSeconds: 20,
  ingestSeconds: 60,
  warmupSeconds: 5,
  rawMessages: 200_000,
  backlog: 100_000,
  seedConcurrency: 2,
  seedBulk: 500,
  seedSeconds: 60,
  documents: 100_000,
  latencyRate: 200,
  latencySeconds: 20,
  wireEdits: 300,
  satelliteBacklog: 100_000,
  conflictPercent: 10,
  conflictPool: 200,
  conflictSeconds: 30,
  peerDocuments: 5000,
  fleetMax: 10_000,
  fleetMin: 100,
  fleetChangeRate: 2000,
  fleetHeartbeatSeconds: 30,
  fleetOfflineAfterSeconds: 90,
  fleetSeconds: 60,
  fleetSampled: 20,
  fleetOutcomeGroups: 0,
  waitLimitSeconds: 300,
};

/** `--quick`: every scenario in a few minutes, for iterating on the suite itself. */
export const QUICK_SIZES: Sizes = {
  ...FULL_SIZES,
  ingestSeconds: 15,
  ingestSingleSeconds: 10,
  warmupSeconds: 3,
  rawMessages: 50_000,
  backlog: 2000,
  seedSeconds: 60,
  documents: 2000,
  latencySeconds: 10,
  conflictSeconds: 15,
  wireEdits: 200,
  satelliteBacklog: 2000,
  peerDocuments: 1000,
  fleetMax: 1000,
  fleetSeconds: 20,
  waitLimitSeconds: 120,
};
