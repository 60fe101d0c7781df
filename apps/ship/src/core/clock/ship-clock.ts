import { Injectable } from '@nestjs/common';
import { ShipConfig } from '../config/ship-config';

/**
 * The ship's wall clock for what it stamps on the wire: edit times and envelope timestamps.
 * SYNC_TEST_CLOCK_OFFSET_MS shifts it, so that tests can give a ship a wrong clock (ships at sea
 * drift, and the master must never trust their clocks over versions) without touching the host.
 */
@Injectable()
export class ShipClock {
  private readonly offsetMs: number;

  constructor(config: ShipConfig) {
    this.offsetMs = config.testClockOffsetMs;
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** `now()` as stored: ISO-8601 UTC text (see iso-now). */
  isoNow(): string {
    return this.now().toISOString();
  }
}
