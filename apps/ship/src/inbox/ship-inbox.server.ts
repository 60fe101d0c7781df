import { Logger } from '@nestjs/common';
import { KafkaBatchServer, type KafkaBatchServerOptions } from '@offline-sync/sync-core';

export type InboxConsumerState = 'stopped' | 'starting' | 'running';

/**
 * The batch transport for master-updates and this ship's outcomes, started in the background:
 * Nest's start-up never waits for the broker (a ship without a link must serve its crew), and a
 * failed start is retried whenever the link comes back or a pull is requested.
 */
export class ShipInboxServer extends KafkaBatchServer {
  private readonly log = new Logger('ShipInbox');
  private state: InboxConsumerState = 'stopped';
  private wanted = false;
  private starting: Promise<boolean> | null = null;

  constructor(
    options: KafkaBatchServerOptions,
    /** Runs before each start attempt (e.g. creating this ship's outcome topic). */
    private readonly prepare: () => Promise<void>,
  ) {
    super(options);
  }

  override listen(callback: (error?: unknown) => void): void {
    this.wanted = true;
    callback();
    void this.ensureRunning();
  }

  override async close(): Promise<void> {
    this.wanted = false;
    await this.starting?.catch(() => undefined);
    this.state = 'stopped';
    await super.close();
  }

  consumerState(): InboxConsumerState {
    return this.state;
  }

  /** Starts the consumer unless it runs (or is starting); resolves true when it runs. */
  ensureRunning(): Promise<boolean> {
    if (!this.wanted) return Promise.resolve(false);
    if (this.state === 'running') return Promise.resolve(true);
    this.starting ??= this.tryStart().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async tryStart(): Promise<boolean> {
    this.state = 'starting';
    try {
      // A consumer left over from a crash is dropped before a new one starts.
      if (this.getConsumer()) await super.close().catch(() => undefined);
      await this.prepare();
      await new Promise<void>((resolve, reject) =>
        super.listen((error?: unknown) => (error ? reject(toError(error)) : resolve())),
      );
    } catch (error) {
      this.state = 'stopped';
      this.log.warn(
        `Inbound consumer not started (retried when the link is up): ${describe(error)}`,
      );
      await super.close().catch(() => undefined);
      return false;
    }
    if (!this.wanted) {
      await super.close();
      this.state = 'stopped';
      return false;
    }
    const consumer = this.getConsumer();
    consumer?.on(consumer.events.CRASH, (event) => {
      // kafkajs restarts by itself after retriable errors; otherwise start again on reconnect.
      if (!event.payload.restart) this.state = 'stopped';
    });
    this.state = 'running';
    this.log.log('Inbound consumer running (master updates and change outcomes)');
    return true;
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
