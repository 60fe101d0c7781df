import { makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';

/** Metric names shared by both apps, named as in the earlier plugin's README. */
export const SyncMetric = {
  Info: 'offline_sync_info',
  Uptime: 'offline_sync_uptime_seconds',
  Messages: 'offline_sync_messages_total',
} as const;

/** Message outcomes counted by `offline_sync_messages_total{status}`. */
export type MessageStatus = 'processed' | 'failed' | 'duplicate' | 'dead-lettered' | 'sent';

export const syncMetricProviders = [
  makeGaugeProvider({
    name: SyncMetric.Info,
    help: 'Offline Sync node information (always 1)',
    labelNames: ['mode', 'ship_id', 'version'],
  }),
  makeGaugeProvider({
    name: SyncMetric.Uptime,
    help: 'Process uptime in seconds',
    collect() {
      this.set(process.uptime());
    },
  }),
  makeCounterProvider({
    name: SyncMetric.Messages,
    help: 'Sync messages handled, by status',
    labelNames: ['status'],
  }),
];
