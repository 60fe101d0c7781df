import { Registry } from 'prom-client';

/**
 * The app's own Prometheus registry (not prom-client's global one), so two master instances in
 * one process (tests) never share or clash over metrics.
 */
export class MetricsRegistry extends Registry {}
