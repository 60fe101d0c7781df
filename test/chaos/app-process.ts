import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { REPO_ROOT } from '../harness/infra';
import { APP_MEMORY_ENV, appEntry, type AppName } from '../harness/node-process';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One app process (a master replica or a ship) that the fault injector may kill, pause, or start
 * again with another environment. Unlike the e2e harness's NodeProcess it reports every exit, so
 * the supervisor can tell a crash from a kill of the schedule.
 */
export class AppProcess {
  private child: ChildProcess | null = null;
  private log: WriteStream | null = null;
  private exited: Promise<ExitInfo> = Promise.resolve({ code: null, signal: null });
  private paused = false;
  private ready = false;
  /** Called when the process ends, whoever ended it; `wasReady`: it had answered its probe. */
  onExit: (info: ExitInfo, wasReady: boolean) => void = () => undefined;

  constructor(
    readonly name: string,
    readonly app: AppName,
    readonly port: number,
    public env: Record<string, string>,
    private readonly logFile: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  isRunning(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  isPaused(): boolean {
    return this.paused && this.isRunning();
  }

  /** Spawns the process; `ready` resolves once its readiness probe answers 200. */
  spawn(): void {
    if (this.isRunning()) throw new Error(`${this.name} is already running`);
    this.log ??= createWriteStream(this.logFile, { flags: 'a' });
    this.log.write(`\n---- ${new Date().toISOString()} start ${this.name}\n`);
    const child = spawn(process.execPath, [appEntry(this.app)], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
        ...APP_MEMORY_ENV[this.app],
        ...this.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.child = child;
    this.paused = false;
    this.ready = false;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        const info = { code, signal };
        this.log?.write(`\n---- ${new Date().toISOString()} exit ${JSON.stringify(info)}\n`);
        this.onExit(info, this.ready);
        resolve(info);
      }),
    );
  }

  /** Resolves once ready, rejects when the process exits first or the time is up. */
  async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.isRunning()) throw new Error(`${this.name} exited during start-up`);
      try {
        const response = await fetch(`${this.url}/api/offline-sync/health/ready`, {
          signal: AbortSignal.timeout(2_000),
        });
        if (response.ok) {
          this.ready = true;
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms`);
  }

  /** SIGKILL: a crash, nothing flushed. */
  async kill9(): Promise<void> {
    if (!this.isRunning()) return;
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL if it takes longer than `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    if (!this.isRunning()) return;
    if (this.paused) this.resume();
    this.child?.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGSTOP: the process holds still, as in a long GC pause; its sockets stay open. */
  pause(): void {
    if (!this.isRunning()) return;
    this.child?.kill('SIGSTOP');
    this.paused = true;
  }

  resume(): void {
    if (!this.isRunning()) return;
    this.child?.kill('SIGCONT');
    this.paused = false;
  }

  close(): void {
    this.log?.end();
    this.log = null;
  }
}
