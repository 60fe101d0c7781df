import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ShipInboxServer } from '../inbox/ship-inbox.server';

/**
 * Inbound partitions held at a message this ship cannot verify yet (a master key it lacks, a newer
 * schema version): each with its topic, partition, offset, reason and since when. Nothing after
 * such a message is applied until the ship is reconfigured, so the health detail reports it down;
 * readiness lists it but stays up, since the crew's local API works as before.
 */
@Injectable()
export class InboundHoldHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly inbox: ShipInboxServer,
  ) {}

  check(key: string, { downWhenHeld }: { downWhenHeld: boolean }): HealthIndicatorResult {
    const held = this.inbox.heldPartitions();
    const session = this.indicators.check(key);
    return held.length > 0 && downWhenHeld ? session.down({ held }) : session.up({ held });
  }
}
