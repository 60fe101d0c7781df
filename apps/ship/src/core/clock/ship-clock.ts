import { Injectable, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import type { ShipDb } from '../database/ship-tables';
import { ShipConfig } from '../config/ship-config';
import { ShipDatabase } from '../database/ship-database.service';
import { SyncMetaRepository } from '../database/sync-meta.repository';
import { ClockCorrection } from './clock-correction';

/**
 * The ship's clock for what leaves the ship: edit times and envelope timestamps. The machine's
 * clock, moved forward by what the master's timestamps show it lags (ClockCorrection), so an edit
 * made after the crew saw a master version is never stamped before it, whatever the hardware
 * clock says. Local bookkeeping (row times, timers) keeps the machine's clock.
 */
@Injectable()
export class ShipClock implements OnApplicationBootstrap {
  private correction = new ClockCorrection(() => performance.now());
  private unsaved = false;

  /** Without a database (a unit of the ship alone), what it learns is not kept across restarts. */
  constructor(
    private readonly config: ShipConfig,
    @Optional() private readonly db?: ShipDatabase,
    @Optional() private readonly meta?: SyncMetaRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { db, meta } = this;
    if (!db || !meta) return;
    const stored = await db.read((tx) => meta.get(tx, 'clock_correction_ms'));
    this.correction = new ClockCorrection(() => performance.now(), Number(stored ?? 0) || 0);
  }

  /** The machine's clock as configured (SYNC_TEST_CLOCK_OFFSET_MS shifts it in tests). */
  localMs(): number {
    return Date.now() + this.config.clockOffsetMs;
  }

  nowMs(): number {
    return this.localMs() + this.correction.ms;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  nowIso(): string {
    return this.now().toISOString();
  }

  /** How far the clock is moved to follow the master (0 when it does not lag). */
  correctionMs(): number {
    return this.correction.ms;
  }

  /** A timestamp of a verified master message, just received. */
  observeMasterTime(iso: string): void {
    if (this.correction.observe(Date.parse(iso), this.localMs())) this.unsaved = true;
  }

  /** Stores a correction that moved, in the caller's transaction (it survives a restart offline). */
  async save(tx: ShipDb): Promise<void> {
    if (!this.unsaved || !this.meta) return;
    this.unsaved = false;
    await this.meta.set(tx, 'clock_correction_ms', String(Math.round(this.correction.ms)));
  }
}
