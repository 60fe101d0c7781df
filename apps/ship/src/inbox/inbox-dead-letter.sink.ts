import { Injectable } from '@nestjs/common';
import type { DeadLetterEntry, DeadLetterSink } from '@offline-sync/sync-core';
import { ShipDatabase } from '../core/database/ship-database.service';
import { DeadLettersService } from '../dead-letters/dead-letters.service';
import { InboxPositionsRepository } from './inbox-positions.repository';

/**
 * Where the inbound consumer puts a message it gives up on: the dead letter and the stored
 * position past it commit together, so a restart (which seeks to the stored positions) never
 * reads and dead-letters the same message twice.
 */
@Injectable()
export class InboxDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly db: ShipDatabase,
    private readonly deadLetters: DeadLettersService,
    private readonly positions: InboxPositionsRepository,
  ) {}

  store(entry: DeadLetterEntry): Promise<void> {
    return this.db.transaction(async (tx) => {
      await this.deadLetters.storeIn(tx, entry);
      await this.positions.advance(tx, entry.topic, entry.partition, entry.offset);
    }, 'replayable');
  }
}
