import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { errorMessage } from '../errors/error-message';

/** Work run on a background thread, talking to its owner over a channel of its own. */
export interface BackgroundTask {
  /** Names the task in errors. */
  name: string;
  /**
   * The task's code: a function body run on the thread with `port` (its end of the channel),
   * `data` (structured-cloned) and `require`. It ends by closing its port.
   */
  source: string;
  data: unknown;
}

/** What the thread answers on a task's port when the task's code threw as it started. */
export interface TaskStartFailure {
  type: 'task-failed';
  message: string;
}

const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ name, source, data, port }) => {
  try {
    new Function('port', 'data', 'require', source)(port, data, require);
  } catch (error) {
    port.postMessage({ type: 'task-failed', message: name + ': ' + (error && error.message ? error.message : String(error)) });
    port.close();
  }
});
`;

/**
 * One worker thread for several background tasks. Every worker thread is a V8 isolate with a
 * Node environment of its own, about 10 MB before any code of ours runs: a ship, whose memory is
 * small, runs its Kafka producer and its WAL checkpoints on one thread instead of two.
 *
 * The thread starts with the first task and ends when the last task has closed its port. It never
 * keeps the process alive. If it dies (a task's code threw outside a handler, or it ran out of
 * memory), every task's port closes: each owner hears `close` and may run its task again, which
 * starts a new thread.
 */
export class BackgroundThread {
  private worker: Worker | null = null;
  /** Each running task's port, with the thread it runs on. */
  private readonly open = new Map<MessagePort, Worker>();

  /** `onError`: hears an error that ended the thread (its tasks' owners only see their port close). */
  constructor(private readonly onError: (error: Error) => void = () => undefined) {}

  /** Runs `task` on the thread (starting it if need be); returns the owner's end of its channel. */
  run(task: BackgroundTask): MessagePort {
    const worker = this.start();
    const { port1: owner, port2: taskPort } = new MessageChannel();
    this.open.set(owner, worker);
    owner.once('close', () => {
      this.open.delete(owner);
      if (this.worker === worker && ![...this.open.values()].includes(worker)) this.stop(worker);
    });
    worker.postMessage({ ...task, port: taskPort }, [taskPort]);
    // An idle task must not keep the process alive (its owner's pending requests do not either:
    // they are promises, and a shutdown closes the task).
    owner.unref();
    return owner;
  }

  /** Tasks running on the thread. */
  get tasks(): number {
    return this.open.size;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(THREAD_SOURCE, { eval: true });
    worker.unref();
    worker.once('exit', () => {
      if (this.worker === worker) this.worker = null;
      // The thread's ports are closed with it; their owners hear it through `close`.
      for (const [port, on] of this.open) if (on === worker) port.close();
    });
    // An uncaught error ends the thread ('exit' follows, and the tasks' owners hear of it).
    worker.on('error', (error: unknown) =>
      this.onError(error instanceof Error ? error : new Error(errorMessage(error))),
    );
    this.worker = worker;
    return worker;
  }

  private stop(worker: Worker): void {
    this.worker = null;
    void worker.terminate();
  }
}
