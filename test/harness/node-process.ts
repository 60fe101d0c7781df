import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './infra';

export type AppName = 'master' | 'ship';

/**
 * The memory settings each app's container image sets (apps/<app>/Dockerfile;
 * docs/configuration.md, "Memory"), so that tests and benchmarks run the apps with the heap they are deployed with.
 */
export const APP_MEMORY_ENV: Record<AppName, Record<string, string>> = {
  master: { NODE_OPTIONS: '--max-semi-space-size=4', MALLOC_ARENA_MAX: '2' },
  ship: {
    NODE_OPTIONS: '--max-old-space-size=128 --max-semi-space-size=1',
    MALLOC_ARENA_MAX: '2',
    MALLOC_MMAP_THRESHOLD_: '65536',
    MALLOC_TRIM_THRESHOLD_: '131072',
  },
};

/** The compiled entry point of an app (see `npm run build`). */
export function appEntry(app: AppName): string {
  return path.join(REPO_ROOT, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
}

/**
 * Compiles both apps once, so end-to-end tests start real processes the way production does
 * (and in ~1 s each, instead of compiling TypeScript at every start).
 */
export function buildApps({ withConsole = false }: { withConsole?: boolean } = {}): void {
  for (const app of ['master', 'ship'] as const) {
    const result = spawnSync('npx', ['nest', 'build', app], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (result.status !== 0 || !existsSync(appEntry(app))) {
      throw new Error(`nest build ${app} failed:\n${result.stdout}\n${result.stderr}`);
    }
  }
  if (withConsole) {
    const script = path.join(REPO_ROOT, 'scripts', 'build-console.sh');
    const result = spawnSync('bash', [script], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(`building the console failed:\n${result.stdout}\n${result.stderr}`);
    }
  }
}

/**
 * One running app process (a master or a ship) with its environment, so it can be stopped
 * gracefully, killed with SIGKILL and started again on the same data.
 */
export class NodeProcess {
  private child: ChildProcess | null = null;
  private log: WriteStream | null = null;
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(
    readonly name: string,
    readonly app: AppName,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
    /** The compiled entry point to run (another build of the app, for comparing two builds). */
    private readonly entry: string = appEntry(app),
    /** Options for node itself (e.g. `--cpu-prof`, which NODE_OPTIONS does not take). */
    private readonly nodeArgs: string[] = [],
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

  /** Starts the process and resolves once its readiness probe answers 200. */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.isRunning()) throw new Error(`${this.name} is already running`);
    this.log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [...this.nodeArgs, this.entry], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        ...APP_MEMORY_ENV[this.app],
        ...this.env,
        PORT: String(this.port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await this.waitReady(timeoutMs);
  }

  /** SIGTERM: the app finishes the batch in hand and exits. Resolves to its exit code. */
  async stop(): Promise<number | null> {
    if (!this.isRunning()) return null;
    this.child?.kill('SIGTERM');
    const code = await this.exited;
    this.child = null;
    return code;
  }

  /** SIGKILL at whatever moment this is: a crash, with no chance to clean up. */
  async kill9(): Promise<void> {
    if (!this.isRunning()) return;
    this.child?.kill('SIGKILL');
    await this.exited;
    this.child = null;
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.isRunning()) {
        throw new Error(`${this.name} exited during start-up; see ${this.logFile}`);
      }
      try {
        const response = await fetch(`${this.url}/api/offline-sync/health/ready`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms; see ${this.logFile}`);
  }
}
