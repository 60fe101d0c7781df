import { Logger } from '@nestjs/common';
import { Worker } from 'node:worker_threads';

export interface WalCheckpointerOptions {
  /** The SQLite file (in WAL mode) whose log is copied back. */
  filename: string;
  /** How often the worker looks at the log. */
  intervalMs: number;
  /** Log size from which a checkpoint runs. */
  minWalBytes: number;
}

/** Defaults for a ship: a look every 200 ms, a checkpoint once the log passes 4 MB. */
export const DEFAULT_WAL_CHECKPOINTS = { intervalMs: 200, minWalBytes: 4 * 1024 * 1024 };

/**
 * The worker's code: its own connection to the file, and a PASSIVE checkpoint (it never waits for
 * the app's connection, nor makes it wait) whenever the log has grown past `minWalBytes`.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { timeout: 5000 });
let timer = null;
const tick = () => {
  try {
    const size = statSync(workerData.filename + '-wal', { throwIfNoEntry: false })?.size ?? 0;
    if (size >= workerData.minWalBytes) db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message ? error.message : error) });
  }
  timer = setTimeout(tick, workerData.intervalMs);
};
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearTimeout(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  db.close();
  parentPort.postMessage('stopped');
});
tick();
`;

/**
 * Copies SQLite's write-ahead log back into the database file on a worker thread. The app's
 * statements run on the event loop (better-sqlite3), and SQLite's automatic checkpoint runs inside
 * the COMMIT that crosses its threshold: every few MB of writes one commit copied thousands of
 * pages and synced the file, holding the loop (the crew's API, the link's sockets) for 50-250 ms.
 * The app's connection turns automatic checkpoints off while this runs (and back on after).
 */
export class WalCheckpointer {
  private readonly logger = new Logger(WalCheckpointer.name);
  private worker: Worker | null = null;

  constructor(private readonly options: WalCheckpointerOptions) {}

  start(): void {
    if (this.worker) return;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { ...this.options, driver: require.resolve('better-sqlite3') },
    });
    worker.on('message', (message: unknown) => {
      if (typeof message === 'object' && message !== null && 'error' in message) {
        this.logger.warn(`WAL checkpoint failed: ${String(message.error)}`);
      }
    });
    worker.on('error', (error) => this.logger.error(`WAL checkpointer stopped: ${error.message}`));
    worker.unref();
    this.worker = worker;
  }

  /** Runs a last checkpoint and closes the worker's connection. */
  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const done = (): void => resolve();
      worker.once('exit', done);
      worker.on('message', (message) => {
        if (message === 'stopped') void worker.terminate().then(done, done);
      });
      worker.postMessage('stop');
    });
  }
}
