import type { OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';

export interface AuthFailureLimits {
  /** Wrong keys a client address may present within `windowMs` (`SYNC_AUTH_FAILURE_LIMIT`). */
  limit: number;
  windowMs: number;
  /** How long an address that went over the limit is refused (`SYNC_AUTH_BLOCK_MS`). */
  blockMs: number;
}

const THROTTLER = 'auth-failures';

/**
 * Slows down a client guessing keys: past `limit` wrong keys from one address within the window,
 * every request of that address that needs a key is refused (429) until the block ends, right or
 * wrong key alike — otherwise a guess made during the block could still succeed. Counts live in
 * @nestjs/throttler's in-memory storage, per process.
 */
export class AuthFailureLimiter implements OnApplicationShutdown {
  constructor(
    private readonly limits: AuthFailureLimits,
    private readonly storage: ThrottlerStorageService = new ThrottlerStorageService(),
  ) {}

  /** Seconds the address stays blocked, or 0 when it may present a key. */
  blockedFor(address: string, now = Date.now()): number {
    const record = this.storage.storage.get(address);
    if (!record?.isBlocked || record.blockExpiresAt <= now) return 0;
    return Math.max(1, Math.ceil((record.blockExpiresAt - now) / 1000));
  }

  /** Counts a wrong key; answers the seconds the address is now blocked for (0: not blocked). */
  async recordFailure(address: string): Promise<number> {
    const { limit, windowMs, blockMs } = this.limits;
    const record = await this.storage.increment(address, windowMs, limit, blockMs, THROTTLER);
    return record.isBlocked ? Math.max(1, record.timeToBlockExpire) : 0;
  }

  onApplicationShutdown(): void {
    this.storage.onApplicationShutdown();
  }
}
