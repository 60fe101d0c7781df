import {
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';

/**
 * Ship metrics besides the shared `offline_sync_*` ones (see ObservabilityModule). Per-ship names
 * carry `ship_id` like the master's copies of them (from heartbeats), so the dashboard's
 * `max by (ship_id)` panels read either source.
 */
export const ShipMetric = {
  ShipOnline: 'offline_sync_ship_online',
  ConnectivityTransitions: 'offline_sync_connectivity_transitions_total',
  OutboxDepth: 'offline_sync_outbox_depth',
  ShipQueueDepth: 'offline_sync_ship_queue_depth',
  ConflictsOpen: 'offline_sync_conflicts_open',
  DeadLetters: 'offline_sync_dead_letter_total',
  LastSync: 'offline_sync_last_sync_timestamp_seconds',
  OldestPendingAge: 'offline_sync_oldest_pending_age_seconds',
  SendDuration: 'offline_sync_relay_send_duration_seconds',
  Heartbeats: 'offline_sync_heartbeats_total',
} as const;

export const shipMetricProviders = [
  makeGaugeProvider({
    name: ShipMetric.ShipOnline,
    help: '1 while the link to the broker is up, 0 while it is down',
    labelNames: ['ship_id'],
  }),
  makeCounterProvider({
    name: ShipMetric.ConnectivityTransitions,
    help: 'Link state changes, by the state entered',
    labelNames: ['to'],
  }),
  makeGaugeProvider({
    name: ShipMetric.OutboxDepth,
    help: 'Changes in the outbox the broker has not confirmed: pending (queued or being sent), failed (retries exhausted)',
    labelNames: ['state'],
  }),
  makeGaugeProvider({
    name: ShipMetric.ShipQueueDepth,
    help: 'Changes waiting in the outbox (pending and failed), as the heartbeat reports it',
    labelNames: ['ship_id'],
  }),
  makeGaugeProvider({
    name: ShipMetric.ConflictsOpen,
    help: 'Documents with an open conflict on the master',
  }),
  makeGaugeProvider({
    name: ShipMetric.DeadLetters,
    help: 'Received messages kept as dead letters, waiting for an operator',
    labelNames: ['status'],
  }),
  makeGaugeProvider({
    name: ShipMetric.LastSync,
    help: 'Unix time of the last successful exchange with the master (send confirmed, update or outcome applied); 0 before the first',
  }),
  makeGaugeProvider({
    name: ShipMetric.OldestPendingAge,
    help: 'Age of the oldest change the broker has not confirmed (0 when none)',
  }),
  makeHistogramProvider({
    name: ShipMetric.SendDuration,
    help: 'Time to send one group of envelopes to the broker',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
  makeCounterProvider({
    name: ShipMetric.Heartbeats,
    help: 'Heartbeats by result (sent, failed, skipped_offline)',
    labelNames: ['status'],
  }),
];
