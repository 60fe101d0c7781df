import { errorText, type ChaosCluster } from './cluster';
import type { FaultEvent } from './fault-schedule';
import type { HistoryWriter } from './history';

/**
 * Plays a fault schedule against the cluster: each fault at its offset from the start of the
 * workload, undone after its duration, both recorded in the history with their times. A fault
 * that cannot be done is recorded with its error and the run goes on (the checker judges the
 * system, not the injector).
 */
export class FaultInjector {
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Faults in effect, with what undoes each. */
  private readonly active = new Map<number, { fault: FaultEvent; undo: () => Promise<void> }>();
  private stopped = false;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly cluster: ChaosCluster,
    private readonly history: HistoryWriter,
  ) {}

  /** Schedules every fault; `startedAt` is the history time the workload started. */
  run(schedule: FaultEvent[], startedAt: number): void {
    for (const fault of schedule) {
      const delay = Math.max(0, startedAt + fault.at - this.history.now());
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.track(this.begin(fault));
      }, delay);
      this.timers.add(timer);
    }
  }

  /** Cancels what has not begun and undoes every fault in effect. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.pending]);
    await Promise.allSettled([...this.active.keys()].map((id) => this.end(id)));
  }

  /** How many faults are in effect now. */
  inEffect(): FaultEvent[] {
    return [...this.active.values()].map((a) => a.fault);
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private async begin(fault: FaultEvent): Promise<void> {
    if (this.stopped) return;
    const t = this.history.now();
    let undo: () => Promise<void>;
    try {
      undo = await this.apply(fault);
    } catch (error) {
      this.history.write({ type: 'fault', t, phase: 'start', fault, error: errorText(error) });
      return;
    }
    this.history.write({ type: 'fault', t, phase: 'start', fault });
    this.active.set(fault.id, { fault, undo });
    if (this.stopped) return; // stop() undoes it
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(this.end(fault.id));
    }, fault.durationMs);
    this.timers.add(timer);
  }

  private async end(id: number): Promise<void> {
    const entry = this.active.get(id);
    if (!entry) return;
    this.active.delete(id);
    try {
      await entry.undo();
      this.history.write({
        type: 'fault',
        t: this.history.now(),
        phase: 'end',
        fault: entry.fault,
      });
    } catch (error) {
      this.history.write({
        type: 'fault',
        t: this.history.now(),
        phase: 'end',
        fault: entry.fault,
        error: errorText(error),
      });
    }
  }

  /** Does the fault; returns what undoes it. */
  private async apply(fault: FaultEvent): Promise<() => Promise<void>> {
    const cluster = this.cluster;
    const { target } = fault;
    switch (fault.kind) {
      case 'link-cut':
      case 'dark-ship': {
        const link = cluster.links[target];
        link.cut();
        return () => Promise.resolve(link.restore());
      }
      case 'link-stall': {
        const link = cluster.links[target];
        link.stall();
        return () => Promise.resolve(link.unstall());
      }
      case 'link-shape': {
        const link = cluster.links[target];
        link.shape({
          latencyMs: fault.params.latencyMs ?? 0,
          bandwidthBytesPerSec: fault.params.bandwidthBytesPerSec ?? 0,
        });
        return () => Promise.resolve(link.shape({ latencyMs: 0, bandwidthBytesPerSec: 0 }));
      }
      case 'kill-ship':
      case 'kill-master':
        await cluster.killNode(target);
        return () => cluster.startNode(target);
      case 'kill-broker':
        await cluster.killBroker();
        return () => cluster.restartBroker();
      case 'stop-postgres':
        await cluster.stopDatabase(fault.params.mode ?? 'fast');
        return () => cluster.restartDatabase();
      case 'pause':
        if (target === 'kafka') {
          cluster.pauseBroker();
          return () => Promise.resolve(cluster.resumeBroker());
        }
        cluster.pauseNode(target);
        return () => Promise.resolve(cluster.resumeNode(target));
      case 'clock-skew':
        await cluster.restartNode(target, {
          SYNC_TEST_CLOCK_OFFSET_MS: String(fault.params.clockOffsetMs ?? 0),
        });
        return () => cluster.restartNode(target, { SYNC_TEST_CLOCK_OFFSET_MS: '0' });
    }
  }
}
