import type { Consumer } from 'kafkajs';

/**
 * When a kafkajs consumer last showed a sign of life: a fetch, a heartbeat, a group join, any
 * answered request, or a batch in a handler. After a lost connection kafkajs can sit without
 * fetching, retrying or crashing (tulios/kafkajs#660, #1163); a consumer quiet for far longer
 * than any fetch, join or request may take is one of those, and is restarted by its owner.
 */
export class ConsumerActivity {
  private lastSeenAt: number;
  /**
   * Partitions whose batch a handler holds. kafkajs emits no end for a batch whose handler threw
   * (it is fetched again, or its partition moved in a rebalance), so a count would stay up for
   * good and a stalled consumer would never look quiet: a partition's next batch replaces its
   * entry, and a group join (partitions handed out afresh) clears them all.
   */
  private readonly batchesInHand = new Set<string>();
  private readonly stopListening: (() => void)[];

  constructor(consumer: Consumer, now: () => number = Date.now) {
    this.lastSeenAt = now();
    const seen = (): void => {
      this.lastSeenAt = now();
    };
    const batchOf = (event?: { payload?: { topic?: string; partition?: number } }): string =>
      `${event?.payload?.topic ?? ''}:${event?.payload?.partition ?? ''}`;
    const { events } = consumer;
    this.stopListening = [
      consumer.on(events.FETCH_START, seen),
      consumer.on(events.FETCH, seen),
      consumer.on(events.HEARTBEAT, seen),
      consumer.on(events.GROUP_JOIN, () => {
        this.batchesInHand.clear();
        seen();
      }),
      consumer.on(events.REQUEST, seen),
      consumer.on(events.START_BATCH_PROCESS, (event) => {
        this.batchesInHand.add(batchOf(event));
        seen();
      }),
      consumer.on(events.END_BATCH_PROCESS, (event) => {
        this.batchesInHand.delete(batchOf(event));
        seen();
      }),
    ];
  }

  /**
   * How long the consumer has been quiet at `at`; 0 while a handler holds a batch (a long
   * transaction or a retried one is the handler's business, not a stalled consumer).
   */
  quietFor(at: number): number {
    return this.batchesInHand.size > 0 ? 0 : Math.max(0, at - this.lastSeenAt);
  }

  stop(): void {
    for (const remove of this.stopListening) remove();
  }
}
