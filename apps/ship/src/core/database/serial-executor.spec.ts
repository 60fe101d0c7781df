import { SerialExecutor } from './serial-executor';

/** A unit that records its start, stays open for a few event-loop turns, and records its end. */
function unit(log: string[], name: string): () => Promise<string> {
  return async () => {
    log.push(`${name}:start`);
    for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
    log.push(`${name}:end`);
    return name;
  };
}

describe('SerialExecutor', () => {
  it('runs one unit at a time, in call order, and hands back results', async () => {
    const executor = new SerialExecutor();
    const log: string[] = [];
    const results = await Promise.all(['a', 'b', 'c'].map((n) => executor.run(unit(log, n))));
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
  });

  it('passes a failure to its caller only, and goes on with the next unit', async () => {
    const executor = new SerialExecutor();
    const failing = executor.run(() => Promise.reject(new Error('disk full')));
    const next = executor.run(() => Promise.resolve('next'));
    await expect(failing).rejects.toThrow('disk full');
    await expect(next).resolves.toBe('next');
  });

  it('gives the event loop a turn before each unit (timers and sockets are served between them)', async () => {
    const executor = new SerialExecutor();
    const log: string[] = [];
    // Units that never wait would otherwise run back to back, before anything else the loop holds.
    const first = executor.run(() => {
      log.push('a');
      setImmediate(() => log.push('loop'));
      return Promise.resolve();
    });
    const second = executor.run(() => {
      log.push('b');
      return Promise.resolve();
    });
    await Promise.all([first, second]);
    expect(log).toEqual(['a', 'loop', 'b']);
  });
});
