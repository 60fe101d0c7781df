import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../../..');

/**
 * The master as a real process from its sources (no build), for tests that stop or kill it.
 * Everything it prints goes to `output`.
 */
export function spawnMaster(
  env: Record<string, string>,
  output: (chunk: string) => void,
): ChildProcess {
  const proc = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'apps/master/src/main.ts',
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...env,
        PORT: '0',
        HOST: '127.0.0.1',
        TS_NODE_PROJECT: path.join(REPO_ROOT, 'tsconfig.json'),
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  proc.stdout?.on('data', (chunk: Buffer) => output(chunk.toString()));
  proc.stderr?.on('data', (chunk: Buffer) => output(chunk.toString()));
  return proc;
}

/** Resolves with how the process ended (at once if it already has). */
export function exitOf(
  proc: ChildProcess,
): Promise<{ code: number | null; signal: string | null }> {
  if (proc.exitCode !== null || proc.signalCode !== null) {
    return Promise.resolve({ code: proc.exitCode, signal: proc.signalCode });
  }
  return new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
}
