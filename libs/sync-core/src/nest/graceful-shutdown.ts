import { Logger, type INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { errorMessage } from '../errors/error-message';

export interface GracefulShutdownOptions {
  /** Past this the process exits with status 1 (data is safe either way: every step is durable). */
  timeoutMs: number;
  /** Called first, synchronously: e.g. readiness goes red and new requests are refused. */
  stopTakingWork?: () => void;
  /** Stops the Kafka consumers: each finishes the batch in hand (commit, then offsets) and leaves. */
  stopConsumers: () => Promise<void>;
  signals?: NodeJS.Signals[];
}

/**
 * On SIGTERM (or SIGINT): stop taking work — the HTTP listener closes and the consumers finish
 * the batch in hand and leave their groups, so partitions move on at once — then Nest's shutdown
 * runs: relays finish the send in hand, Kafka clients disconnect, the database closes. Exits 0
 * when all of that is done within `timeoutMs`, 1 otherwise.
 */
export function installGracefulShutdown(
  app: INestApplication,
  options: GracefulShutdownOptions,
): void {
  const logger = new Logger('Shutdown');
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let started = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (started) return;
    started = true;
    const startedAt = Date.now();
    logger.log(`${signal} received: draining (at most ${options.timeoutMs} ms)`);
    const deadline = setTimeout(() => {
      logger.error(`Shutdown did not finish within ${options.timeoutMs} ms; exiting anyway`);
      process.exit(1);
    }, options.timeoutMs);
    deadline.unref();
    shutDown(app, options).then(
      () => {
        logger.log(`Shut down cleanly in ${Date.now() - startedAt} ms`);
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(`Shutdown failed: ${errorMessage(error)}`);
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
}

async function shutDown(app: INestApplication, options: GracefulShutdownOptions): Promise<void> {
  options.stopTakingWork?.();
  const server = app.getHttpServer() as Server;
  // No new connections; idle keep-alive ones are closed now and again until the listener is gone.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
  try {
    await Promise.all([options.stopConsumers(), closed]);
    await app.close();
  } finally {
    clearInterval(idleSweep);
  }
}
