import { exponentialBackoff, errorMessage } from '@offline-sync/sync-core';
import type { IBackoff } from 'cockatiel';

/** Backoff never grows past this many doublings of SYNC_RETRY_DELAY. */
const MAX_DOUBLINGS = 6;

export interface SendRetryOptions {
  /** SYNC_RETRY_ATTEMPTS: retries after the first try. */
  retryAttempts: number;
  /** SYNC_RETRY_DELAY: the first wait. */
  retryDelayMs: number;
  /** Aborts the waiting (shutdown); the work in hand is not interrupted. */
  signal?: AbortSignal;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

export class SendCancelledError extends Error {
  override readonly name = 'SendCancelledError';
}

export class SendFailedError extends Error {
  override readonly name = 'SendFailedError';

  constructor(
    readonly tries: number,
    override readonly cause: unknown,
  ) {
    super(errorMessage(cause));
  }
}

/**
 * Runs `work` once plus up to SYNC_RETRY_ATTEMPTS retries, waiting SYNC_RETRY_DELAY, then about
 * twice as long each time (cockatiel's exponential backoff with half jitter: a random delay in
 * [d/2, d], so a fleet reconnecting at once does not retry in lockstep). Throws SendFailedError
 * with the number of tries when all fail, SendCancelledError when aborted while waiting.
 */
export async function sendWithRetry<T>(
  work: (attempt: number) => Promise<T>,
  options: SendRetryOptions,
): Promise<T> {
  let backoff: IBackoff<unknown> = exponentialBackoff({
    initialMs: options.retryDelayMs,
    maxMs: options.retryDelayMs * 2 ** MAX_DOUBLINGS,
  }).next(undefined);
  for (let attempt = 0; ; attempt += 1) {
    if (options.signal?.aborted) throw new SendCancelledError('cancelled');
    try {
      return await work(attempt);
    } catch (error) {
      if (attempt >= options.retryAttempts) throw new SendFailedError(attempt + 1, error);
      options.onRetry?.({ attempt: attempt + 1, delayMs: backoff.duration, error });
      await abortableSleep(backoff.duration, options.signal);
      backoff = backoff.next(undefined);
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new SendCancelledError('cancelled'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new SendCancelledError('cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
