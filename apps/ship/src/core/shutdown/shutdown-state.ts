import { Injectable } from '@nestjs/common';

/**
 * Whether the process has begun a graceful shutdown. Once draining, new HTTP requests are
 * refused and readiness goes red, so load balancers stop sending work while the batch in hand
 * is finished.
 */
@Injectable()
export class ShutdownState {
  private drainingSince: string | null = null;

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  get since(): string | null {
    return this.drainingSince;
  }

  beginDraining(): void {
    this.drainingSince ??= new Date().toISOString();
  }
}
