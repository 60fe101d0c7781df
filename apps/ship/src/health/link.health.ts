import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { ConnectivityService } from '../connectivity/connectivity.service';

/**
 * The satellite link to the broker, as the connectivity probe last saw it. Part of the health
 * detail only: an offline ship still serves its crew, so readiness never depends on it.
 */
@Injectable()
export class LinkHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly connectivity: ConnectivityService,
  ) {}

  check(key = 'kafka'): HealthIndicatorResult {
    const link = this.connectivity.current();
    const session = this.indicators.check(key);
    const data = {
      link: link.state,
      since: link.since,
      lastCheckAt: link.lastCheckAt,
      lastError: link.lastError,
    };
    return link.state === 'online' ? session.up(data) : session.down(data);
  }
}
