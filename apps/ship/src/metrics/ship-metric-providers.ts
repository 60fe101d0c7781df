import {
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';

/** Ship metrics besides the shared `offline_sync_*` ones (see ObservabilityModule). */
export const ShipMetric = {
  Online: 'offline_sync_online',
  ConnectivityTransitions: 'offline_sync_connectivity_transitions_total',
  QueueDepth: 'offline_sync_queue_depth',
  ConflictsOpen: 'offline_sync_conflicts_open',
  OldestPendingAge: 'offline_sync_oldest_pending_age_seconds',
  SendDuration: 'offline_sync_relay_send_duration_seconds',
  Heartbeats: 'offline_sync_heartbeats_total',
} as const;

export const shipMetricProviders = [
  makeGaugeProvider({
    name: ShipMetric.Online,
    help: '1 while the link to the broker is up, 0 while it is down',
  }),
  makeCounterProvider({
    name: ShipMetric.ConnectivityTransitions,
    help: 'Link state changes, by the state entered',
    labelNames: ['to'],
  }),
  makeGaugeProvider({
    name: ShipMetric.QueueDepth,
    help: 'Outbox rows by status',
    labelNames: ['status'],
  }),
  makeGaugeProvider({
    name: ShipMetric.ConflictsOpen,
    help: 'Documents with an open conflict on the master',
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
