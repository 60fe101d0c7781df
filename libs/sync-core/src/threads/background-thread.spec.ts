import type { MessagePort } from 'node:worker_threads';
import { BackgroundThread } from './background-thread';

/** Answers 'who' with its thread's id and its data; 'end' closes the task; 'crash' kills the thread. */
const ECHO_TASK = `
const { threadId } = require('node:worker_threads');
port.on('message', (message) => {
  if (message === 'who') port.postMessage({ threadId, data });
  if (message === 'end') port.close();
  if (message === 'crash') setImmediate(() => { throw new Error('task blew up'); });
});
`;

const ask = (port: MessagePort, message: string): Promise<unknown> =>
  new Promise((resolve) => {
    port.once('message', resolve);
    port.postMessage(message);
  });
const closed = (port: MessagePort): Promise<void> =>
  new Promise((resolve) => port.once('close', () => resolve()));

describe('BackgroundThread', () => {
  it('runs several tasks on one thread, each on its own channel, and ends with the last', async () => {
    const thread = new BackgroundThread();
    const first = thread.run({ name: 'first', source: ECHO_TASK, data: 1 });
    const second = thread.run({ name: 'second', source: ECHO_TASK, data: 2 });
    const a = (await ask(first, 'who')) as { threadId: number; data: number };
    const b = (await ask(second, 'who')) as { threadId: number; data: number };
    expect(a.threadId).toBeGreaterThan(0);
    expect(b).toEqual({ threadId: a.threadId, data: 2 });
    expect(a.data).toBe(1);

    first.postMessage('end');
    await closed(first);
    expect(thread.tasks).toBe(1);
    expect(await ask(second, 'who')).toEqual({ threadId: a.threadId, data: 2 });

    second.postMessage('end');
    await closed(second);
    expect(thread.tasks).toBe(0);
    // A task run after the thread ended gets a new one.
    const third = thread.run({ name: 'third', source: ECHO_TASK, data: 3 });
    const c = (await ask(third, 'who')) as { threadId: number };
    expect(c.threadId).not.toBe(a.threadId);
    third.postMessage('end');
    await closed(third);
  });

  it('tells the owner of a task whose code throws as it starts, and closes its port', async () => {
    const thread = new BackgroundThread();
    const port = thread.run({ name: 'broken', source: 'throw new Error("no driver")', data: null });
    const reply = new Promise((resolve) => port.once('message', resolve));
    await closed(port);
    expect(await reply).toEqual({ type: 'task-failed', message: 'broken: no driver' });
  });

  it('closes every task of a thread that died, and reports why', async () => {
    const errors: string[] = [];
    const thread = new BackgroundThread((error) => errors.push(error.message));
    const crashing = thread.run({ name: 'crashing', source: ECHO_TASK, data: null });
    const bystander = thread.run({ name: 'bystander', source: ECHO_TASK, data: null });
    await ask(bystander, 'who');
    crashing.postMessage('crash');
    await Promise.all([closed(crashing), closed(bystander)]);
    expect(errors).toEqual(['task blew up']);
    expect(thread.tasks).toBe(0);
  });
});
