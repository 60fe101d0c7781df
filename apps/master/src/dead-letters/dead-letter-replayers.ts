import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { UNSENT_PARTITION, type DeadLetter } from './entities/dead-letter.entity';
import { errorMessage } from '@offline-sync/sync-core';

export type ReplayResult = { ok: true } | { ok: false; reason: string; detail: string };
export type DeadLetterReplayer = (letter: DeadLetter) => Promise<ReplayResult>;

/** What is known of a letter that will not be retried again. */
export type ExhaustedLetter = Pick<
  DeadLetter,
  'topic' | 'key' | 'value' | 'valueEncoding' | 'reason' | 'detail'
>;
/** Answers for a letter given up on, written in the transaction that marks it exhausted. */
export type ExhaustedHandler = (letter: ExhaustedLetter, manager: EntityManager) => Promise<void>;

/**
 * Who re-runs a dead letter of which topic. The consuming modules register their own handler,
 * so a retry goes through exactly the path the message took the first time; the outbox registers
 * the one for messages the master never sent (UNSENT_PARTITION), whatever their topic.
 */
@Injectable()
export class DeadLetterReplayers {
  private readonly byTopic = new Map<string, DeadLetterReplayer>();
  private readonly exhaustedByTopic = new Map<string, ExhaustedHandler>();
  private unsent: DeadLetterReplayer | null = null;

  register(topic: string, replayer: DeadLetterReplayer, onExhausted?: ExhaustedHandler): void {
    this.byTopic.set(topic, replayer);
    if (onExhausted) this.exhaustedByTopic.set(topic, onExhausted);
  }

  /** Runs the topic's handler for a letter that is exhausted now (nothing when it has none). */
  async exhausted(letter: ExhaustedLetter, manager: EntityManager): Promise<void> {
    await this.exhaustedByTopic.get(letter.topic)?.(letter, manager);
  }

  registerUnsent(replayer: DeadLetterReplayer): void {
    this.unsent = replayer;
  }

  async replay(letter: DeadLetter): Promise<ReplayResult> {
    const replayer =
      letter.partition === UNSENT_PARTITION ? this.unsent : this.byTopic.get(letter.topic);
    if (!replayer) {
      return { ok: false, reason: 'no-replayer', detail: `nothing consumes topic ${letter.topic}` };
    }
    try {
      return await replayer(letter);
    } catch (error) {
      const reason =
        typeof error === 'object' && error !== null && 'reason' in error
          ? String(error.reason)
          : 'retry-failed';
      return { ok: false, reason, detail: errorMessage(error) };
    }
  }
}

/** The stored value as text (it was received as UTF-8 unless flagged base64). */
export function deadLetterText(letter: Pick<DeadLetter, 'value' | 'valueEncoding'>): string {
  return letter.valueEncoding === 'base64'
    ? Buffer.from(letter.value, 'base64').toString('utf8')
    : letter.value;
}
