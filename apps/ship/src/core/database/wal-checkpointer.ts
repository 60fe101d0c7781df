import { Logger } from '@nestjs/common';
import { BackgroundThread } from '@offline-sync/sync-core';
import type { MessagePort } from 'node:worker_threads';

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
 * The task's code: its own connection to the file, and a PASSIVE checkpoint (it never waits for
 * the app's connection, nor makes it wait) whenever the log has grown past `minWalBytes`. A
 * 'stop' runs a last checkpoint, closes the connection and ends the task.
 */
const CHECKPOINT_TASK = `
const { statSync } = require('node:fs');
const Database = require(data.driver);
const db = new Database(data.filename, { timeout: 5000 });
let timer = null;
const tick = () => {
  try {
    const size = statSync(data.filename + '-wal', { throwIfNoEntry: false })?.size ?? 0;
    if (size >= data.minWalBytes) db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    port.postMessage({ error: String(error && error.message ? error.message : error) });
  }
  timer = setTimeout(tick, data.intervalMs);
};
port.on('message', (message) => {
  if (message !== 'stop') return;
  clearTimeout(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  db.close();
  port.close();
});
tick();
`;

/**
 * Copies SQLite's write-ahead log back into the database file on a background thread. The app's
 * statements run on the event loop (better-sqlite3), and SQLite's automatic checkpoint runs inside
 * the COMMIT that crosses its threshold: every few MB of writes one commit copied thousands of
 * pages and synced the file, holding the loop (the crew's API, the link's sockets) for 50-250 ms.
 * The app's connection turns automatic checkpoints off while this runs (and back on after). The
 * thread may be shared with other tasks (`thread`); without one the checkpointer has its own.
 */
export class WalCheckpointer {
  private readonly logger = new Logger(WalCheckpointer.name);
  private readonly thread: BackgroundThread;
  private port: MessagePort | null = null;

  constructor(
    private readonly options: WalCheckpointerOptions,
    thread?: BackgroundThread,
  ) {
    this.thread =
      thread ??
      new BackgroundThread((error) => this.logger.error(`WAL checkpointer: ${error.message}`));
  }

  start(): void {
    if (this.port) return;
    const port = this.thread.run({
      name: 'WAL checkpointer',
      source: CHECKPOINT_TASK,
      data: { ...this.options, driver: require.resolve('better-sqlite3') },
    });
    port.on('message', (message: unknown) => {
      if (typeof message !== 'object' || message === null) return;
      if ('error' in message) this.logger.warn(`WAL checkpoint failed: ${String(message.error)}`);
      if ('message' in message) this.logger.error(String(message.message)); // it could not start
    });
    port.once('close', () => {
      if (this.port !== port) return;
      this.port = null;
      this.logger.error('WAL checkpointer stopped');
    });
    this.port = port;
  }

  /** Runs a last checkpoint and closes the task's connection. */
  async stop(): Promise<void> {
    const port = this.port;
    this.port = null;
    if (!port) return;
    await new Promise<void>((resolve) => {
      port.once('close', () => resolve());
      port.postMessage('stop');
    });
  }
}
