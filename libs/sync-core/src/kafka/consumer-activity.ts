import type { Consumer } from 'kafkajs';

/**
 * When a kafkajs consumer last showed a sign of life: a fetch, a heartbeat, a group join, any
 * answered request, or a batch in a handler. After a lost connection kafkajs can sit without
 * fetching, retrying or crashing (tulios/kafkajs#660, #1163); a consumer quiet for far longer
 * than any fetch, join or request may take is one of those, and is restarted by its owner.
 */
export class ConsumerActivity {
  private lastSeenAt: number;
  private batchesInHand = 0;
  private readonly stopListening: (() => void)[];

  constructor(consumer: Consumer, now: () => number = Date.now) {
    this.lastSeenAt = now();
    const seen = (): void => {
      this.lastSeenAt = now();
    };
    const { events } = consumer;
    this.stopListening = [
      consumer.on(events.FETCH_START, seen),
      consumer.on(events.FETCH, seen),
      consumer.on(events.HEARTBEAT, seen),
      consumer.on(events.GROUP_JOIN, seen),
      consumer.on(events.REQUEST, seen),
      consumer.on(events.START_BATCH_PROCESS, () => {
        this.batchesInHand += 1;
        seen();
      }),
      consumer.on(events.END_BATCH_PROCESS, () => {
        this.batchesInHand = Math.max(0, this.batchesInHand - 1);
        seen();
      }),
    ];
  }

  /**
   * How long the consumer has been quiet at `at`; 0 while a handler holds a batch (a long
   * transaction or a retried one is the handler's business, not a stalled consumer).
   */
  quietFor(at: number): number {
    return this.batchesInHand > 0 ? 0 : Math.max(0, at - this.lastSeenAt);
  }

  stop(): void {
    for (const remove of this.stopListening) remove();
  }
}
