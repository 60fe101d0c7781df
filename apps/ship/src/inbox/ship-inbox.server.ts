import { Logger } from '@nestjs/common';
import {
  ConsumerActivity,
  KafkaBatchServer,
  type KafkaBatchServerOptions,
  errorMessage,
} from '@offline-sync/sync-core';

/** Longest a consumer that was dropped may take to leave; then it is let go. */
const DROP_TIMEOUT_MS = 10_000;

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
  private activity: ConsumerActivity | null = null;

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
    this.activity?.stop();
    this.activity = null;
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

  /**
   * Restarts a consumer said to be running that has shown no sign of life for `limitMs` (see
   * ConsumerActivity); call it only while the link is up. True when a restart was started.
   */
  restartIfQuiet(limitMs: number, at = Date.now()): boolean {
    if (this.state !== 'running' || this.starting || !this.activity) return false;
    const quietMs = this.activity.quietFor(at);
    if (quietMs < limitMs) return false;
    this.log.warn(
      `Inbound consumer silent for ${Math.round(quietMs / 1000)} s while the link is up: restarting it`,
    );
    this.state = 'stopped';
    void this.ensureRunning();
    return true;
  }

  private async tryStart(): Promise<boolean> {
    this.state = 'starting';
    this.activity?.stop();
    this.activity = null;
    try {
      // A consumer left over from a crash or a stall is dropped before a new one starts; a stalled
      // one may never finish leaving, so it gets a bounded time to do so.
      if (this.getConsumer()) await this.dropConsumer();
      await this.prepare();
      await new Promise<void>((resolve, reject) =>
        super.listen((error?: unknown) => (error ? reject(toError(error)) : resolve())),
      );
    } catch (error) {
      this.state = 'stopped';
      this.log.warn(
        `Inbound consumer not started (retried when the link is up): ${errorMessage(error)}`,
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
    this.activity = consumer ? new ConsumerActivity(consumer) : null;
    this.state = 'running';
    this.log.log('Inbound consumer running (master updates and change outcomes)');
    return true;
  }

  private async dropConsumer(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, DROP_TIMEOUT_MS);
      timer.unref();
    });
    await Promise.race([super.close().catch(() => undefined), gaveUp]);
    clearTimeout(timer);
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
