import {
  MessageKind,
  verifyEnvelope,
  type ChangeOutcomeDto,
  type KeyRing,
  type MasterUpdateDto,
} from '@offline-sync/sync-core';
import type { Consumer, Kafka } from 'kafkajs';
import type { SimShip } from './sim-ship';

export interface ShipReaderHandlers {
  outcome(ship: SimShip, outcome: ChangeOutcomeDto, receivedAt: number): void;
  update(ship: SimShip, update: MasterUpdateDto, receivedAt: number): void;
  /** A message that did not verify: never applied, counted. */
  refused(ship: SimShip, detail: string): void;
}

/**
 * What a sampled ship reads, as a ship's inbox does: its own outcome topic from the start and,
 * for some, master-updates, with its own consumer group, verifying every message against the
 * master's key. Keeps the ship's applied position of master-updates for its heartbeats.
 */
export class ShipReader {
  private consumer: Consumer | null = null;
  /** Bytes of the outcome topic read: this ship's outcomes, and others' passed over. */
  readonly outcomeBytes = { own: 0, others: 0 };

  constructor(
    private readonly kafka: Kafka,
    readonly ship: SimShip,
    private readonly topics: { outcomes: string; masterUpdates: string | null },
    private readonly masterKeys: KeyRing,
    private readonly groupId: string,
    private readonly handlers: ShipReaderHandlers,
  ) {}

  /** Resolves once the consumer has joined its group (so nothing after this is missed). */
  async start(timeoutMs = 60_000): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      maxWaitTimeInMs: 100,
      allowAutoTopicCreation: false,
      retry: { retries: 10 },
    });
    this.consumer = consumer;
    const joined = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.ship.id}'s reader did not join within ${timeoutMs} ms`)),
        timeoutMs,
      );
      consumer.on(consumer.events.GROUP_JOIN, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topics.outcomes], fromBeginning: true });
    if (this.topics.masterUpdates) {
      await consumer.subscribe({ topics: [this.topics.masterUpdates], fromBeginning: false });
    }
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const receivedAt = Date.now();
        // A shared outcome topic carries the group's ships' outcomes: a ship reads only its own.
        if (topic === this.topics.outcomes) {
          const own = message.key?.toString('utf8') === this.ship.id;
          this.outcomeBytes[own ? 'own' : 'others'] += message.value?.length ?? 0;
          if (!own) return;
        }
        let raw: unknown;
        try {
          raw = JSON.parse(message.value?.toString('utf8') ?? 'null');
        } catch {
          this.handlers.refused(this.ship, `${topic}@${message.offset}: not JSON`);
          return;
        }
        const verdict = verifyEnvelope(raw, this.masterKeys);
        if (!verdict.ok) {
          this.handlers.refused(this.ship, `${verdict.reason}: ${verdict.detail}`);
        } else if (verdict.envelope.kind === MessageKind.ChangeOutcomes) {
          if (verdict.envelope.payload.shipId !== this.ship.id) {
            this.handlers.refused(this.ship, `outcomes of ${verdict.envelope.payload.shipId}`);
          } else {
            for (const outcome of verdict.envelope.payload.outcomes) {
              this.handlers.outcome(this.ship, outcome, receivedAt);
            }
          }
        } else if (verdict.envelope.kind === MessageKind.MasterUpdate) {
          this.handlers.update(this.ship, verdict.envelope.payload, receivedAt);
          this.ship.appliedPosition = {
            ...this.ship.appliedPosition,
            [String(partition)]: String(BigInt(message.offset) + 1n),
          };
        }
        await Promise.resolve();
      },
    });
    await joined;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = null;
  }
}
