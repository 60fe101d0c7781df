import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';

/** Ships listed in the detail: the ones silent longest (every ship: GET /offline-sync/ships). */
const LISTED_SHIPS = 10;

interface ShipSyncRow {
  id: string;
  status: string;
  last_seen_at: Date | null;
  last_change_at: Date | null;
}

/**
 * How many ships there are and are online, when the master last heard from any (heartbeat or
 * ingested change), and the ships silent longest with when each was last heard from: a size that
 * does not grow with the fleet. Informational: a ship at sea may be silent for days.
 */
@Injectable()
export class ShipsSyncHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async check(key = 'ships'): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(key);
    // Ships known by a heartbeat, a change, or both.
    const fleet = `SELECT coalesce(s.id, q.ship_id) AS id, coalesce(s.status, 'unknown') AS status,
                          s.last_seen_at, q.updated_at AS last_change_at,
                          GREATEST(s.last_seen_at, q.updated_at) AS heard_at
                     FROM ships s FULL JOIN ship_sequences q ON q.ship_id = s.id`;
    const [[counts], rows] = await Promise.all([
      this.dataSource.query<[{ total: number; online: number; last_sync_at: Date | null }]>(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'online')::int AS online,
                max(heard_at) AS last_sync_at
           FROM (${fleet}) f`,
      ),
      this.dataSource.query<ShipSyncRow[]>(
        `SELECT id, status, last_seen_at, last_change_at FROM (${fleet}) f
          ORDER BY heard_at NULLS FIRST, id LIMIT ${LISTED_SHIPS}`,
      ),
    ]);
    return session.up({
      total: counts.total,
      online: counts.online,
      lastSyncAt: counts.last_sync_at?.toISOString() ?? null,
      ships: rows.map((row) => ({
        id: row.id,
        status: row.status,
        lastSeenAt: row.last_seen_at?.toISOString() ?? null,
        lastChangeAt: row.last_change_at?.toISOString() ?? null,
      })),
    });
  }
}
