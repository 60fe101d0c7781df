import { SendCancelledError, SendFailedError, sendWithRetry } from './send-retry.policy';

describe('sendWithRetry', () => {
  it('tries once plus SYNC_RETRY_ATTEMPTS retries, then gives up with the count and last error', async () => {
    let calls = 0;
    const failure = sendWithRetry(
      () => {
        calls += 1;
        return Promise.reject(new Error(`broker unreachable (${calls})`));
      },
      { retryAttempts: 3, retryDelayMs: 10 },
    );
    await expect(failure).rejects.toThrow('broker unreachable (4)');
    await expect(failure).rejects.toBeInstanceOf(SendFailedError);
    await failure.catch((error: SendFailedError) => expect(error.tries).toBe(4));
    expect(calls).toBe(4);
  });

  it('stops retrying as soon as a try succeeds', async () => {
    let calls = 0;
    const result = await sendWithRetry(
      () => {
        calls += 1;
        return calls < 3 ? Promise.reject(new Error('not yet')) : Promise.resolve('sent');
      },
      { retryAttempts: 5, retryDelayMs: 10 },
    );
    expect(result).toBe('sent');
    expect(calls).toBe(3);
  });

  it('waits exponentially longer between tries, with jitter inside [d/2, d]', async () => {
    const delays: number[] = [];
    await expect(
      sendWithRetry(() => Promise.reject(new Error('down')), {
        retryAttempts: 4,
        retryDelayMs: 20,
        onRetry: ({ delayMs }) => delays.push(delayMs),
      }),
    ).rejects.toThrow('down');
    expect(delays).toHaveLength(4);
    delays.forEach((delay, n) => {
      expect(delay).toBeGreaterThanOrEqual((20 * 2 ** n) / 2 - 1);
      expect(delay).toBeLessThanOrEqual(20 * 2 ** n + 1);
    });
    // Jitter: a fleet does not retry in lockstep (same inputs, different delays, almost surely).
    const second: number[] = [];
    await sendWithRetry(() => Promise.reject(new Error('down')), {
      retryAttempts: 4,
      retryDelayMs: 20,
      onRetry: ({ delayMs }) => second.push(delayMs),
    }).catch(() => undefined);
    expect(second).not.toEqual(delays);
  });

  it('with SYNC_RETRY_ATTEMPTS=0 tries exactly once', async () => {
    let calls = 0;
    await expect(
      sendWithRetry(
        () => {
          calls += 1;
          return Promise.reject(new Error('down'));
        },
        { retryAttempts: 0, retryDelayMs: 10 },
      ),
    ).rejects.toThrow('down');
    expect(calls).toBe(1);
  });

  it('is cancelled (shutdown) while it waits, without another try', async () => {
    const abort = new AbortController();
    let calls = 0;
    const running = sendWithRetry(
      () => {
        calls += 1;
        return Promise.reject(new Error('down'));
      },
      { retryAttempts: 10, retryDelayMs: 60_000, signal: abort.signal },
    );
    setTimeout(() => abort.abort(), 20);
    await expect(running).rejects.toBeInstanceOf(SendCancelledError);
    expect(calls).toBe(1);
  });
});
