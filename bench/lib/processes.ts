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

/** CPU ms (user + system) of a process and of its children that have exited and were reaped. */
function cpuWithReapedMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime, cutime, cstime: the 14th to 17th fields, in clock ticks (100 a second).
    return (
      ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) /
      100
    );
  } catch {
    return 0;
  }
}

/**
 * CPU ms a PostgreSQL cluster has used so far: its postmaster, the backends alive now and the
 * ones that exited (a pool's connections come and go; the postmaster reaps them and counts their
 * CPU), so a window's difference holds every backend that worked in it.
 */
export function clusterCpuMs(postmasterPid: number): number {
  return childrenOf(postmasterPid).reduce(
    (sum, pid) => sum + ownCpuMs(pid),
    cpuWithReapedMs(postmasterPid),
  );
}

function ownCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/**
 * The processes of the PostgreSQL cluster serving `databaseUrl` (its postmaster, found by the
 * port on its command line, and the postmaster's children: backends and background workers), so
 * that the cluster's CPU is told apart from any other cluster's on the machine.
 */
export function postgresPids(databaseUrl: string): number[] {
  const postmaster = postmasterOf(databaseUrl);
  return postmaster === null ? [] : [postmaster, ...childrenOf(postmaster)];
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
