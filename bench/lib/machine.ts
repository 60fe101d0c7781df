import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { Client } from 'pg';
import { REPO_ROOT } from '../../test/harness/infra';

export interface MachineFacts {
  cpuModel: string;
  cpuCount: number;
  memoryMb: number;
  node: string;
  kafka: string;
  postgres: string;
  gitCommit: string;
  gitDirty: boolean;
  loadAverageAtStart: number[];
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export async function machineFacts(databaseUrl: string): Promise<MachineFacts> {
  let postgres: string;
  const client = new Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    postgres = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]
      .server_version;
  } finally {
    await client.end().catch(() => undefined);
  }
  const { loadavg } = await import('node:os');
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cpuCount: cpus().length,
    memoryMb: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    // The broker scripts/kafka/start-kafka.sh runs (it reads the same variable).
    kafka: process.env.KAFKA_VERSION ?? '4.1.2',
    postgres,
    gitCommit: git(['rev-parse', 'HEAD']),
    gitDirty: git(['status', '--porcelain', '--', 'apps', 'libs']) !== '',
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}
