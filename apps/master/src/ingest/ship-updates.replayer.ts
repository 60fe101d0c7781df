import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EnvelopeMessageDto } from '@offline-sync/sync-core';
import type { EntityManager } from 'typeorm';
import { MasterConfig } from '../core/config/master-config';
import {
  DeadLetterReplayers,
  deadLetterText,
  type ExhaustedLetter,
  type ReplayResult,
} from '../dead-letters/dead-letter-replayers';
import type { DeadLetter } from '../dead-letters/entities/dead-letter.entity';
import { IngestService } from './ingest.service';

/**
 * Re-runs a dead-lettered ship-updates message through the ingest. Its changes may now sit below
 * the ship's high-water mark (later ones went through meanwhile): the ingest checks those by
 * change id, so a change never applied is applied now and one applied before is not. A letter
 * given up on answers its ship: every change it carried is rejected with the letter's reason.
 */
@Injectable()
export class ShipUpdatesReplayer implements OnModuleInit {
  constructor(
    private readonly replayers: DeadLetterReplayers,
    private readonly ingest: IngestService,
    private readonly config: MasterConfig,
  ) {}

  onModuleInit(): void {
    this.replayers.register(
      this.config.topics.shipUpdates,
      (letter) => this.replay(letter),
      (letter, manager) => this.answerExhausted(letter, manager),
    );
  }

  private async answerExhausted(letter: ExhaustedLetter, manager: EntityManager): Promise<void> {
    let value: unknown;
    try {
      value = JSON.parse(deadLetterText(letter));
    } catch {
      return; // not even JSON: nobody to answer
    }
    await this.ingest.rejectExhausted(value, letter.reason, letter.detail, manager);
  }

  async replay(letter: DeadLetter): Promise<ReplayResult> {
    const message = messageOf(letter);
    if ('reason' in message) return message;
    const summary = await this.ingest.replay(message);
    const [rejection] = summary.rejected;
    return rejection
      ? { ok: false, reason: rejection.reason, detail: rejection.detail }
      : { ok: true };
  }
}

function messageOf(letter: DeadLetter): EnvelopeMessageDto | (ReplayResult & { ok: false }) {
  const raw = deadLetterText(letter);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { ok: false, reason: 'malformed', detail: `value is not JSON (${String(error)})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      reason: 'invalid-message',
      detail: 'value: must be a JSON object (an envelope)',
    };
  }
  return {
    offset: letter.offset,
    key: letter.key,
    timestamp: String(letter.createdAt.getTime()),
    headers: letter.headers,
    size: Buffer.byteLength(raw),
    value: value as Record<string, unknown>,
    raw,
  };
}
