import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MasterConfig } from '../core/config/master-config';
import {
  DeadLetterReplayers,
  deadLetterText,
  type ReplayResult,
} from '../dead-letters/dead-letter-replayers';
import type { DeadLetter } from '../dead-letters/entities/dead-letter.entity';
import { ShipRegistryService } from './ship-registry.service';

/** Re-runs a dead-lettered heartbeat (e.g. a ship whose key was added since). */
@Injectable()
export class HeartbeatsReplayer implements OnModuleInit {
  constructor(
    private readonly replayers: DeadLetterReplayers,
    private readonly registry: ShipRegistryService,
    private readonly config: MasterConfig,
  ) {}

  onModuleInit(): void {
    this.replayers.register(this.config.topics.heartbeats, (letter) => this.replay(letter));
  }

  async replay(letter: DeadLetter): Promise<ReplayResult> {
    const raw = deadLetterText(letter);
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      return { ok: false, reason: 'malformed', detail: `value is not JSON (${String(error)})` };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { ok: false, reason: 'invalid-message', detail: 'value: must be a JSON object' };
    }
    const [rejection] = await this.registry.record(
      [
        {
          offset: letter.offset,
          key: letter.key,
          timestamp: String(letter.createdAt.getTime()),
          headers: letter.headers,
          size: Buffer.byteLength(raw),
          value: value as Record<string, unknown>,
          raw,
        },
      ],
      null,
    );
    return rejection
      ? { ok: false, reason: rejection.reason, detail: rejection.detail }
      : { ok: true };
  }
}
