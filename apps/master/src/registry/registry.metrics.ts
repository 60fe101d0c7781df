import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { MasterConfig } from '../core/config/master-config';
import { MasterMetric } from '../metrics/master-metrics';
import { readAtScrape, sharedSnapshot } from '../metrics/scrape-readers';
import { MasterUpdatesWatermarks } from './master-updates-watermarks';
import { SILENT_SECONDS_SQL, updatesBehindSql } from './registry-sql';

/** Silence thresholds of offline_sync_ships_silent, by label. */
const SILENT_OVER: Record<string, number> = { '1h': 3600, '1d': 86_400, '7d': 604_800 };

/** Every ship with what the gauges read of it; $1 is Kafka's high watermarks as JSON. */
const FLEET_SQL = `SELECT s.id, s.status, s.queue_depth, s.awaiting_outcome,
                          ${SILENT_SECONDS_SQL} AS silent, ${updatesBehindSql('$1')} AS behind
                     FROM ships s LEFT JOIN ship_sequences q ON q.ship_id = s.id`;

/** The fleet's counts and sums, in one row. */
const FLEET_TOTALS_SQL = `SELECT count(*)::int AS total,
        count(*) FILTER (WHERE status = 'online')::int AS online,
        count(*) FILTER (WHERE silent > ${SILENT_OVER['1h']})::int AS silent_1h,
        count(*) FILTER (WHERE silent > ${SILENT_OVER['1d']})::int AS silent_1d,
        count(*) FILTER (WHERE silent > ${SILENT_OVER['7d']})::int AS silent_7d,
        COALESCE(sum(queue_depth), 0)::float8 AS queue_depth,
        COALESCE(sum(awaiting_outcome), 0)::float8 AS awaiting_outcome,
        COALESCE(sum(behind), 0)::float8 AS updates_behind
   FROM (${FLEET_SQL}) f`;

/** Per metric, the $2 ships that stand out most. */
const TOP_SHIPS_SQL = `WITH f AS MATERIALIZED (${FLEET_SQL})
   (SELECT 'lag' AS metric, id, silent AS value FROM f ORDER BY silent DESC, id LIMIT $2)
   UNION ALL
   (SELECT 'queue', id, queue_depth::float8 FROM f WHERE queue_depth > 0
     ORDER BY queue_depth DESC, id LIMIT $2)
   UNION ALL
   (SELECT 'behind', id, behind FROM f WHERE behind > 0 ORDER BY behind DESC, id LIMIT $2)`;

interface FleetRow {
  total: number;
  online: number;
  silent_1h: number;
  silent_1d: number;
  silent_7d: number;
  queue_depth: number;
  awaiting_outcome: number;
  updates_behind: number;
}

interface TopRow {
  metric: 'lag' | 'queue' | 'behind';
  id: string;
  value: number;
}

interface FleetSnapshot {
  fleet: FleetRow;
  top: TopRow[];
  /** Whether Kafka's watermarks were known (else nobody's updates behind is). */
  behindKnown: boolean;
}

/**
 * The fleet as the registry knows it, read at scrape time, in a number of series that does not
 * grow with the fleet: ships total/online (the seed's names), ships silent for over an hour, a
 * day, a week, and the fleet's sums; per ship, only the SYNC_METRICS_TOP_SHIPS ships silent
 * longest, with the most changes waiting and the most updates not applied. Two statements per
 * scrape, whatever the number of ships.
 *
 * offline_sync_ship_lag is the number of seconds since the master last heard from the ship, by a
 * heartbeat or a change, whichever came last: it grows while a ship is out of reach and says how
 * stale the master's picture of it is. How far behind the ship is on master updates is
 * offline_sync_ship_updates_behind (a count of messages, from the ship's applied position).
 */
@Injectable()
export class RegistryMetrics implements OnApplicationShutdown {
  private readonly unregister: Array<() => void>;
  private readonly top: number;
  /** One read of the fleet shared by every gauge of a scrape. */
  private readonly snapshot: () => Promise<FleetSnapshot>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly watermarks: MasterUpdatesWatermarks,
    config: MasterConfig,
    @InjectMetric(MasterMetric.ShipsTotal) shipsTotal: Gauge<string>,
    @InjectMetric(MasterMetric.ShipsOnline) shipsOnline: Gauge<string>,
    @InjectMetric(MasterMetric.ShipsSilent) shipsSilent: Gauge<string>,
    @InjectMetric(MasterMetric.FleetQueueDepth) fleetQueueDepth: Gauge<string>,
    @InjectMetric(MasterMetric.FleetAwaitingOutcome) fleetAwaiting: Gauge<string>,
    @InjectMetric(MasterMetric.FleetUpdatesBehind) fleetBehind: Gauge<string>,
    @InjectMetric(MasterMetric.ShipLag) shipLag: Gauge<string>,
    @InjectMetric(MasterMetric.ShipUpdatesBehind) updatesBehind: Gauge<string>,
    @InjectMetric(MasterMetric.ShipQueueDepth) queueDepth: Gauge<string>,
  ) {
    this.top = config.metricsTopShips;
    this.snapshot = sharedSnapshot(() => this.readFleet());
    this.unregister = [
      readAtScrape(
        shipsTotal,
        this.fleetGauge(shipsTotal, (s) => s.fleet.total),
      ),
      readAtScrape(
        shipsOnline,
        this.fleetGauge(shipsOnline, (s) => s.fleet.online),
      ),
      readAtScrape(shipsSilent, () => this.readSilent(shipsSilent)),
      readAtScrape(
        fleetQueueDepth,
        this.fleetGauge(fleetQueueDepth, (s) => s.fleet.queue_depth),
      ),
      readAtScrape(
        fleetAwaiting,
        this.fleetGauge(fleetAwaiting, (s) => s.fleet.awaiting_outcome),
      ),
      readAtScrape(
        fleetBehind,
        this.fleetGauge(fleetBehind, (s) => (s.behindKnown ? s.fleet.updates_behind : null)),
      ),
      readAtScrape(shipLag, this.perShip(shipLag, 'lag')),
      readAtScrape(queueDepth, this.perShip(queueDepth, 'queue')),
      readAtScrape(updatesBehind, this.perShip(updatesBehind, 'behind')),
    ];
  }

  onApplicationShutdown(): void {
    for (const unregister of this.unregister) unregister();
  }

  /** The fleet's totals and its top ships, read together against the same watermarks. */
  private async readFleet(): Promise<FleetSnapshot> {
    const high = await this.watermarks.highWatermarks();
    const watermarksParam = JSON.stringify(high ?? {});
    const [[row], rows] = await Promise.all([
      this.dataSource.query<[FleetRow]>(FLEET_TOTALS_SQL, [watermarksParam]),
      this.top === 0
        ? Promise.resolve([] as TopRow[])
        : this.dataSource.query<TopRow[]>(TOP_SHIPS_SQL, [watermarksParam, this.top]),
    ]);
    return { fleet: row, top: rows, behindKnown: high !== null };
  }

  /** A gauge of one fleet-wide value (none when the value is not known). */
  private fleetGauge(
    gauge: Gauge<string>,
    value: (s: FleetSnapshot) => number | null,
  ): () => Promise<void> {
    return async () => {
      const v = value(await this.snapshot());
      gauge.reset();
      if (v !== null) gauge.set(v);
    };
  }

  /** A gauge per top ship of one metric; updates behind only when the watermarks were known. */
  private perShip(gauge: Gauge<string>, metric: TopRow['metric']): () => Promise<void> {
    return async () => {
      const { top: rows, behindKnown } = await this.snapshot();
      gauge.reset();
      if (metric === 'behind' && !behindKnown) return;
      for (const row of rows) if (row.metric === metric) gauge.set({ ship_id: row.id }, row.value);
    };
  }

  private async readSilent(shipsSilent: Gauge<string>): Promise<void> {
    const { fleet } = await this.snapshot();
    shipsSilent.set({ over: '1h' }, fleet.silent_1h);
    shipsSilent.set({ over: '1d' }, fleet.silent_1d);
    shipsSilent.set({ over: '7d' }, fleet.silent_7d);
  }
}
