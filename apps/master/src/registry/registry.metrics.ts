import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AppliedPosition } from '@offline-sync/sync-core';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { MasterMetric } from '../metrics/master-metrics';
import { readAtScrape, sharedSnapshot } from '../metrics/scrape-readers';
import { MasterUpdatesWatermarks } from './master-updates-watermarks';
import { lagOf } from './ship.view';

interface ShipRow {
  id: string;
  online: boolean;
  queue_depth: number;
  applied_position: AppliedPosition;
  lag_seconds: number;
}

/**
 * The fleet as the registry knows it, read at scrape time: ships total/online (the seed's names),
 * and per ship: online, lag, master updates not yet applied, queue depth.
 *
 * offline_sync_ship_lag is the number of seconds since the master last heard from the ship, by a
 * heartbeat or a change, whichever came last: it grows while a ship is out of reach and says how
 * stale the master's picture of it is. How far behind the ship is on master updates is
 * offline_sync_ship_updates_behind (a count of messages, from the ship's applied position).
 */
@Injectable()
export class RegistryMetrics implements OnApplicationShutdown {
  private readonly unregister: Array<() => void>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    watermarks: MasterUpdatesWatermarks,
    @InjectMetric(MasterMetric.ShipsTotal) shipsTotal: Gauge<string>,
    @InjectMetric(MasterMetric.ShipsOnline) shipsOnline: Gauge<string>,
    @InjectMetric(MasterMetric.ShipOnline) shipOnline: Gauge<string>,
    @InjectMetric(MasterMetric.ShipLag) shipLag: Gauge<string>,
    @InjectMetric(MasterMetric.ShipUpdatesBehind) updatesBehind: Gauge<string>,
    @InjectMetric(MasterMetric.ShipQueueDepth) queueDepth: Gauge<string>,
  ) {
    const ships = sharedSnapshot(() =>
      dataSource.query<ShipRow[]>(
        `SELECT s.id, s.status = 'online' AS online, s.queue_depth, s.applied_position,
                extract(epoch FROM now() - GREATEST(s.last_seen_at, q.updated_at))::float8 AS lag_seconds
           FROM ships s LEFT JOIN ship_sequences q ON q.ship_id = s.id
          ORDER BY s.id`,
      ),
    );
    const perShip = (gauge: Gauge<string>, value: (row: ShipRow) => number | null) => async () => {
      const rows = await ships();
      gauge.reset();
      for (const row of rows) {
        const v = value(row);
        if (v !== null) gauge.set({ ship_id: row.id }, v);
      }
    };
    this.unregister = [
      readAtScrape(shipsTotal, async () => shipsTotal.set((await ships()).length)),
      readAtScrape(shipsOnline, async () =>
        shipsOnline.set((await ships()).filter((s) => s.online).length),
      ),
      readAtScrape(
        shipOnline,
        perShip(shipOnline, (s) => (s.online ? 1 : 0)),
      ),
      readAtScrape(
        shipLag,
        perShip(shipLag, (s) => Math.max(0, s.lag_seconds)),
      ),
      readAtScrape(
        queueDepth,
        perShip(queueDepth, (s) => s.queue_depth),
      ),
      readAtScrape(updatesBehind, async () => {
        const [rows, high] = await Promise.all([ships(), watermarks.highWatermarks()]);
        updatesBehind.reset();
        for (const row of rows) {
          const behind = lagOf(row.applied_position, high);
          if (behind !== null) updatesBehind.set({ ship_id: row.id }, behind);
        }
      }),
    ];
  }

  onApplicationShutdown(): void {
    for (const unregister of this.unregister) unregister();
  }
}
