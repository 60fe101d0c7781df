import { readdirSync, readFileSync } from 'node:fs';

/** The command line of a process (arguments joined by spaces), or '' when it is gone. */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** The direct children of a process. */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((p) => p !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/** CPU ms (user + system) a live process has used, or 0 when it is gone. */
function ownCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** The postmaster of the cluster serving `databaseUrl` (by the port on its command line). */
export function postmasterOf(databaseUrl: string): number | null {
  const port = new URL(databaseUrl).port || '5432';
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const cmd = commandLine(pid);
    if (/\bpostgres\b/.test(cmd) && cmd.includes(' -D ') && new RegExp(`-p ${port}\\b`).test(cmd)) {
      return pid;
    }
  }
  return null;
}

/**
 * CPU ms the backends of one database have used, on a cluster other databases share: its
 * backends are the postmaster's children whose title names the database. Sampled every second
 * while running, so a backend that exits keeps what it used up to its last sample (a pool's
 * connections mostly stay). The cluster's shared work (WAL writer, checkpointer) is not counted.
 */
export class DatabaseCpu {
  private readonly seen = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly postmasterPid: number,
    private readonly database: string,
  ) {
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
    this.sample();
  }

  /** CPU ms so far, summed over every backend of the database seen since the start. */
  readonly usedMs = (): number => {
    this.sample();
    let sum = 0;
    for (const ms of this.seen.values()) sum += ms;
    return sum;
  };

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    for (const pid of childrenOf(this.postmasterPid)) {
      // A backend's title: "postgres: <user> <database> <client> <state>".
      const title = commandLine(pid).trim().split(/\s+/);
      if (title[0] !== 'postgres:' || title[2] !== this.database) continue;
      this.seen.set(pid, Math.max(this.seen.get(pid) ?? 0, ownCpuMs(pid)));
    }
  }
}
