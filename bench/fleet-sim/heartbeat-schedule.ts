/**
 * When each of `count` ships sends its heartbeat: every `intervalMs`, ship i at phase
 * i/count of the interval, so the fleet's heartbeats are spread evenly and a timer tick takes the
 * ships that came due since the last one (amortised O(1) per heartbeat, one timer for the fleet).
 */
export class HeartbeatSchedule {
  private cycle = 0;
  private next = 0;

  constructor(
    private readonly count: number,
    private readonly intervalMs: number,
    private readonly startedAt: number,
  ) {}

  /** The ships (indexes) whose heartbeat fell due up to `now`, in order. */
  due(now: number): number[] {
    const ships: number[] = [];
    while (this.count > 0 && this.dueAt(this.cycle, this.next) <= now) {
      ships.push(this.next);
      this.next += 1;
      if (this.next === this.count) {
        this.next = 0;
        this.cycle += 1;
      }
    }
    return ships;
  }

  private dueAt(cycle: number, index: number): number {
    return this.startedAt + cycle * this.intervalMs + (index * this.intervalMs) / this.count;
  }
}
