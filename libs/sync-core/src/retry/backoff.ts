import {
  ExponentialBackoff,
  halfJitterGenerator,
  type IBackoff,
  type IBackoffFactory,
} from 'cockatiel';

export interface BackoffOptions {
  /** The first wait (ms). */
  initialMs: number;
  /** No wait grows past this (ms). */
  maxMs: number;
}

/**
 * The one backoff of both apps: exponential, doubling from `initialMs` up to `maxMs`, each wait
 * a random point of the upper half of its step (cockatiel's half jitter), so that replicas and
 * a fleet reconnecting at once never retry in step.
 */
export function exponentialBackoff(options: BackoffOptions): IBackoffFactory<unknown> {
  return new ExponentialBackoff({
    initialDelay: options.initialMs,
    maxDelay: options.maxMs,
    generator: halfJitterGenerator,
  });
}

/** The wait before try `attempt` (1: the first retry) of that backoff, for state kept outside. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  let backoff: IBackoff<unknown> = exponentialBackoff(options).next(undefined);
  for (let i = 1; i < attempt; i += 1) backoff = backoff.next(undefined);
  return backoff.duration;
}
