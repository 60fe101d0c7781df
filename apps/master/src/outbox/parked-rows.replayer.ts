import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DeadLetterReplayers } from '../dead-letters/dead-letter-replayers';
import { OutboxRelay } from './outbox-relay';

/**
 * Retries the dead letter of a parked outbox row (one the master never sent): the row is sent on
 * its own, and resolved once the broker has it.
 */
@Injectable()
export class ParkedRowsReplayer implements OnModuleInit {
  constructor(
    private readonly replayers: DeadLetterReplayers,
    private readonly relay: OutboxRelay,
  ) {}

  onModuleInit(): void {
    this.replayers.registerUnsent((letter) => this.relay.sendParked(letter.offset));
  }
}
