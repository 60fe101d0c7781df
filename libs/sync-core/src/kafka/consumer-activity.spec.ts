import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { ConsumerActivity } from './consumer-activity';

const EVENTS = {
  FETCH_START: 'consumer.fetch_start',
  FETCH: 'consumer.fetch',
  HEARTBEAT: 'consumer.heartbeat',
  GROUP_JOIN: 'consumer.group_join',
  REQUEST: 'consumer.network.request',
  START_BATCH_PROCESS: 'consumer.start_batch_process',
  END_BATCH_PROCESS: 'consumer.end_batch_process',
} as const;

/** The instrumentation-event surface of a kafkajs consumer (on() returns the remover). */
function eventSource() {
  const emitter = new EventEmitter();
  const consumer = {
    events: EVENTS,
    on: (name: string, listener: (event?: unknown) => void) => {
      emitter.on(name, listener);
      return () => emitter.off(name, listener);
    },
  } as unknown as Consumer;
  return { consumer, emit: (name: string, event?: unknown) => emitter.emit(name, event), emitter };
}

describe('ConsumerActivity', () => {
  let now = 1_000;
  const clock = () => now;

  it('counts quiet time from the last sign of life', () => {
    const { consumer, emit } = eventSource();
    const activity = new ConsumerActivity(consumer, clock);
    now += 40_000;
    expect(activity.quietFor(now)).toBe(40_000);
    for (const name of [EVENTS.FETCH_START, EVENTS.HEARTBEAT, EVENTS.REQUEST, EVENTS.GROUP_JOIN]) {
      now += 5_000;
      emit(name);
      expect(activity.quietFor(now + 2_000)).toBe(2_000);
    }
  });

  it('is never quiet while a handler holds a batch', () => {
    const { consumer, emit } = eventSource();
    const activity = new ConsumerActivity(consumer, clock);
    emit(EVENTS.START_BATCH_PROCESS);
    now += 600_000;
    expect(activity.quietFor(now)).toBe(0);
    emit(EVENTS.END_BATCH_PROCESS);
    now += 7_000;
    expect(activity.quietFor(now)).toBe(7_000);
  });

  it('does not count a batch whose handler failed (no end event) as held for good', () => {
    const { consumer, emit } = eventSource();
    const activity = new ConsumerActivity(consumer, clock);
    const batch = (partition: number) => ({ payload: { topic: 'master-updates', partition } });
    emit(EVENTS.START_BATCH_PROCESS, batch(0));
    // The handler threw: kafkajs fetches the partition again and its next batch ends normally.
    emit(EVENTS.START_BATCH_PROCESS, batch(0));
    emit(EVENTS.END_BATCH_PROCESS, batch(0));
    now += 60_000;
    expect(activity.quietFor(now)).toBe(60_000);
    // Or the partition moved in a rebalance: the group join forgets what was held before it.
    emit(EVENTS.START_BATCH_PROCESS, batch(1));
    now += 1_000;
    expect(activity.quietFor(now)).toBe(0);
    emit(EVENTS.GROUP_JOIN);
    now += 60_000;
    expect(activity.quietFor(now)).toBe(60_000);
  });

  it('stops listening when stopped', () => {
    const { consumer, emitter } = eventSource();
    const activity = new ConsumerActivity(consumer, clock);
    expect(emitter.eventNames()).toHaveLength(7);
    activity.stop();
    expect(emitter.eventNames()).toHaveLength(0);
  });
});
