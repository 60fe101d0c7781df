import { Logger } from '@nestjs/common';
import { Client, type ClientConfig } from 'pg';

const logger = new Logger('Database');

/**
 * The pool's connections, each listening for its own errors from the moment it exists. node-pg
 * emits 'error' on a connection that PostgreSQL ends while no query runs on it (a fast shutdown,
 * a restart, pg_terminate_backend), and an 'error' nobody listens to ends the process. The pool
 * listens only while a connection is idle, TypeORM (on the master) only once it has taken one over; in between
 * (a connection just handed out, its "ready" and the termination read together) nobody did. The
 * connection is unusable afterwards: its queries fail, so the work in hand fails and is retried,
 * and the pool drops it when it comes back.
 */
export class ListeningPgClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', (error: Error) => {
      logger.warn(`A PostgreSQL connection ended: ${error.message}`);
    });
  }
}
