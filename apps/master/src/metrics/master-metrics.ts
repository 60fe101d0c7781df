import {
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import { collectAtScrape } from './scrape-readers';

/**
 * The master's metrics besides the shared `offline_sync_info`, `offline_sync_uptime_seconds` and
 * `offline_sync_messages_total` (ObservabilityModule). Names are the ones k8s/monitoring uses.
 */
export const MasterMetric = {
  ShipsTotal: 'offline_sync_ships_total',
  ShipsOnline: 'offline_sync_ships_online',
  ShipsSilent: 'offline_sync_ships_silent',
  FleetQueueDepth: 'offline_sync_fleet_queue_depth',
  FleetAwaitingOutcome: 'offline_sync_fleet_awaiting_outcome',
  FleetUpdatesBehind: 'offline_sync_fleet_updates_behind',
  ShipLag: 'offline_sync_ship_lag',
  ShipUpdatesBehind: 'offline_sync_ship_updates_behind',
  ShipQueueDepth: 'offline_sync_ship_queue_depth',
  OfflineSweepSeconds: 'offline_sync_offline_sweep_seconds',
  DeadLetters: 'offline_sync_dead_letter_total',
  ConflictsOpen: 'offline_sync_conflicts_open',
  OutboxDepth: 'offline_sync_outbox_depth',
  IngestBatchSize: 'offline_sync_ingest_batch_size',
  IngestBatchSeconds: 'offline_sync_ingest_batch_seconds',
  Changes: 'offline_sync_changes_total',
  RejectedEnvelopes: 'offline_sync_rejected_envelopes_total',
} as const;

/** A gauge read from the database when scraped (see scrape-readers.ts). */
function scrapedGauge(name: string, help: string, labelNames: string[] = []) {
  return makeGaugeProvider({
    name,
    help,
    labelNames,
    collect() {
      return collectAtScrape(this);
    },
  });
}

export const masterMetricProviders = [
  scrapedGauge(MasterMetric.ShipsTotal, 'Ships known to the registry'),
  scrapedGauge(
    MasterMetric.ShipsOnline,
    'Ships whose last heartbeat is within SYNC_SHIP_OFFLINE_AFTER',
  ),
  scrapedGauge(
    MasterMetric.ShipsSilent,
    'Ships the master has not heard from (heartbeat or change) for over 1h, 1d, 7d',
    ['over'],
  ),
  scrapedGauge(
    MasterMetric.FleetQueueDepth,
    "Changes waiting in the ships' outboxes, as their last heartbeats said, all ships together",
  ),
  scrapedGauge(
    MasterMetric.FleetAwaitingOutcome,
    'Changes the ships sent that wait for their outcome, as their last heartbeats said, all ships together',
  ),
  scrapedGauge(
    MasterMetric.FleetUpdatesBehind,
    'master-updates messages not applied, as the ships last said, all ships together',
  ),
  // Per ship, only the SYNC_METRICS_TOP_SHIPS ships with the highest values (the fleet's worst):
  // a scrape stays the same size for any fleet. Every ship: GET /api/offline-sync/ships.
  scrapedGauge(
    MasterMetric.ShipLag,
    'Seconds since the master last heard from the ship (heartbeat or change); the ships silent longest',
    ['ship_id'],
  ),
  scrapedGauge(
    MasterMetric.ShipUpdatesBehind,
    'master-updates messages the ship has not applied, as its last heartbeat said; the ships furthest behind',
    ['ship_id'],
  ),
  scrapedGauge(
    MasterMetric.ShipQueueDepth,
    "Changes waiting in the ship's outbox, as its last heartbeat said; the ships with the most",
    ['ship_id'],
  ),
  makeHistogramProvider({
    name: MasterMetric.OfflineSweepSeconds,
    help: 'Time of one offline sweep of the ship registry (on the replica that held the sweep)',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  }),
  scrapedGauge(MasterMetric.DeadLetters, 'Dead letters by status', ['status']),
  scrapedGauge(MasterMetric.ConflictsOpen, 'Conflicts waiting for an operator, by content type', [
    'type',
  ]),
  scrapedGauge(MasterMetric.OutboxDepth, 'Master outbox rows not yet acknowledged by Kafka'),
  makeHistogramProvider({
    name: MasterMetric.IngestBatchSize,
    help: 'Changes per ingested slice of ship-updates (one transaction)',
    buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
  }),
  makeHistogramProvider({
    name: MasterMetric.IngestBatchSeconds,
    help: 'Time to verify, decide and commit one slice of ship-updates (one transaction)',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
  makeCounterProvider({
    name: MasterMetric.Changes,
    help: 'Ship changes decided by the master, by decision',
    labelNames: ['decision'],
  }),
  makeCounterProvider({
    name: MasterMetric.RejectedEnvelopes,
    help: 'Envelopes refused before anything was applied, by reason',
    labelNames: ['reason', 'topic'],
  }),
];
