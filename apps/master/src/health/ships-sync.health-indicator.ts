import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';

interface ShipSyncRow {
  id: string;
  status: string;
  last_seen_at: Date | null;
  last_change_at: Date | null;
}

/**
 * When each ship was last heard from (heartbeat) and when its last change was ingested, and the
 * newest of those overall. Informational: a ship at sea may be silent for days.
 */
@Injectable()
export class ShipsSyncHealthIndicator {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async check(key = 'ships'): Promise<HealthIndicatorResult> {
    const session = this.indicator.check(key);
    const rows = await this.dataSource.query<ShipSyncRow[]>(
      `SELECT coalesce(s.id, q.ship_id) AS id, coalesce(s.status, 'unknown') AS status,
              s.last_seen_at, q.updated_at AS last_change_at
         FROM ships s FULL JOIN ship_sequences q ON q.ship_id = s.id
        ORDER BY 1`,
    );
    let lastSyncAt: Date | null = null;
    const ships = rows.map((row) => {
      for (const at of [row.last_seen_at, row.last_change_at]) {
        if (at && (!lastSyncAt || at > lastSyncAt)) lastSyncAt = at;
      }
      return {
        id: row.id,
        status: row.status,
        lastSeenAt: row.last_seen_at?.toISOString() ?? null,
        lastChangeAt: row.last_change_at?.toISOString() ?? null,
      };
    });
    return session.up({
      total: ships.length,
      online: ships.filter((s) => s.status === 'online').length,
      lastSyncAt: (lastSyncAt as Date | null)?.toISOString() ?? null,
      ships,
    });
  }
}
