/** How long one window of samples counts: a corrected clock follows the master within it. */
export const CORRECTION_WINDOW_MS = 10 * 60_000;
/** Corrections smaller than this are transit time, not a wrong clock. */
export const CORRECTION_THRESHOLD_MS = 2_000;

/**
 * How far the ship's clock is behind the master's, learned from the master's own timestamps
 * (verified envelopes). A sample `masterTime − localTime` is never more than the true offset
 * (a message is stamped before it arrives), so the largest recent sample is the best safe
 * estimate: a ship behind moves forward by at most its true lag, and every edit it makes after
 * seeing a master version is stamped after that version. A clock ahead is not corrected here
 * (samples cannot tell it from old messages); the master bounds it (effectiveEditedAt).
 */
export class ClockCorrection {
  private current = { startedAt: 0, max: Number.NEGATIVE_INFINITY };
  private previousMax = Number.NEGATIVE_INFINITY;
  private correction: number;
  /** The value last reported as changed (what the ship has stored). */
  private reported: number;

  constructor(
    /** Monotonic milliseconds (windows must not move with the wall clock). */
    private readonly monotonic: () => number,
    initialCorrectionMs = 0,
  ) {
    this.correction = Math.max(0, initialCorrectionMs);
    this.reported = this.correction;
    this.current.startedAt = monotonic();
  }

  /** Milliseconds to add to the local clock. */
  get ms(): number {
    return this.correction;
  }

  /** Takes one sample; true when the correction moved by more than transit noise (store it). */
  observe(masterTimeMs: number, localTimeMs: number): boolean {
    if (!Number.isFinite(masterTimeMs)) return false;
    const at = this.monotonic();
    if (at - this.current.startedAt >= CORRECTION_WINDOW_MS) {
      this.previousMax = this.current.max;
      this.current = { startedAt: at, max: Number.NEGATIVE_INFINITY };
    }
    this.current.max = Math.max(this.current.max, masterTimeMs - localTimeMs);
    const best = Math.max(this.current.max, this.previousMax);
    this.correction = best > CORRECTION_THRESHOLD_MS ? best : 0;
    const moved =
      this.correction !== this.reported &&
      (this.correction === 0 ||
        Math.abs(this.correction - this.reported) >= CORRECTION_THRESHOLD_MS);
    if (moved) this.reported = this.correction;
    return moved;
  }
}
