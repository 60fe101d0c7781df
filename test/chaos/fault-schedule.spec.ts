import {
  FAULT_KINDS,
  parseFaultKinds,
  planFaults,
  resourceOf,
  type FaultEvent,
  type ScheduleOptions,
} from './fault-schedule';

const options: ScheduleOptions = {
  seed: 1234,
  durationMs: 10 * 60_000,
  ships: ['ship-a', 'ship-b', 'ship-c'],
  masters: ['master-1', 'master-2'],
  kinds: FAULT_KINDS,
};

describe('planFaults', () => {
  it('is a function of its options: the same seed replays the same schedule', () => {
    expect(planFaults(options)).toEqual(planFaults(options));
    expect(planFaults(options)).not.toEqual(planFaults({ ...options, seed: 1235 }));
  });

  it.each([1, 2, 3, 99, 123456])('seed %i: every kind, each thing one fault at a time', (seed) => {
    const events = planFaults({ ...options, seed });
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(FAULT_KINDS));
    const byResource = new Map<string, FaultEvent[]>();
    for (const event of events) {
      const list = byResource.get(resourceOf(event.kind, event.target)) ?? [];
      list.push(event);
      byResource.set(resourceOf(event.kind, event.target), list);
    }
    for (const list of byResource.values()) {
      for (let i = 1; i < list.length; i += 1) {
        expect(list[i].at).toBeGreaterThanOrEqual(list[i - 1].at + list[i - 1].durationMs);
      }
    }
  });

  it('undoes every fault before the workload ends, and numbers them in time order', () => {
    const events = planFaults(options);
    events.forEach((event, i) => {
      expect(event.id).toBe(i + 1);
      expect(event.at).toBeGreaterThanOrEqual(0);
      expect(event.durationMs).toBeGreaterThan(0);
      expect(event.at + event.durationMs).toBeLessThanOrEqual(options.durationMs);
      if (i > 0) expect(event.at).toBeGreaterThanOrEqual(events[i - 1].at);
    });
  });

  it('keeps one ship dark for a long stretch', () => {
    const [dark, ...others] = planFaults(options).filter((e) => e.kind === 'dark-ship');
    expect(others).toEqual([]);
    expect(dark.durationMs).toBeGreaterThanOrEqual(0.25 * options.durationMs);
  });

  it('gives each kind its parameters and targets', () => {
    const events = planFaults({ ...options, durationMs: 30 * 60_000 });
    for (const event of events) {
      switch (event.kind) {
        case 'link-shape':
          expect(event.params.latencyMs).toBeGreaterThanOrEqual(50);
          expect(event.params.bandwidthBytesPerSec).toBeDefined();
          break;
        case 'clock-skew':
          expect(Math.abs(event.params.clockOffsetMs ?? 0)).toBeGreaterThanOrEqual(1_000);
          expect(options.ships).toContain(event.target);
          break;
        case 'stop-postgres':
          expect(['fast', 'immediate']).toContain(event.params.mode);
          expect(event.target).toBe('postgres');
          break;
        case 'kill-master':
          expect(options.masters).toContain(event.target);
          break;
        case 'kill-broker':
          expect(event.target).toBe('kafka');
          break;
        default:
          break;
      }
    }
  });

  it('injects only the kinds asked for', () => {
    const events = planFaults({ ...options, kinds: ['kill-ship', 'link-cut'] });
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(['kill-ship', 'link-cut']));
    expect(planFaults({ ...options, kinds: [] })).toEqual([]);
  });

  it('fits a short run: each kind once in a minute', () => {
    const events = planFaults({ ...options, durationMs: 60_000, meanGapMs: 2_500 });
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(FAULT_KINDS));
  });
});

describe('parseFaultKinds', () => {
  it('takes all, or a list, and names unknown kinds', () => {
    expect(parseFaultKinds('all')).toEqual([...FAULT_KINDS]);
    expect(parseFaultKinds('kill-ship, link-cut')).toEqual(['kill-ship', 'link-cut']);
    expect(() => parseFaultKinds('kill-ship,meteor')).toThrow(/unknown kind\(s\) meteor/);
  });
});
