import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../harness/infra';

/** The pinned Schemathesis of `ensure_schemathesis` (scripts/lib/ensure-deps.sh). */
export const SCHEMATHESIS = path.join(REPO_ROOT, '.cache', 'schemathesis', 'bin', 'schemathesis');

/** What every response is held to: no 5xx, and status, content type, headers and body as documented. */
export const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_headers_conformance',
  'response_schema_conformance',
];

/** Bounded and reproducible: a fixed seed and a fixed number of cases per operation. */
const SEED = 20240115;
const MAX_EXAMPLES = 40;

export interface KnownException {
  /** `METHOD /path` as in the OpenAPI document. */
  operation: string;
  check: string;
  reason: string;
}

export interface RunFailure {
  operation: string;
  check: string;
  message: string;
}

export interface RunResult {
  /** Operations Schemathesis tested. */
  tested: Set<string>;
  failures: RunFailure[];
  /** Errors that are not check failures (schema problems, connection errors). */
  errors: string[];
  log: string;
}

/** The operations of a committed document, as `METHOD /path`. */
export function operationsOf(documentFile: string): string[] {
  const document = JSON.parse(readFileSync(path.join(REPO_ROOT, documentFile), 'utf8')) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const methods = ['get', 'put', 'post', 'delete', 'patch'];
  return Object.entries(document.paths).flatMap(([route, item]) =>
    methods.filter((m) => m in item).map((m) => `${m.toUpperCase()} ${route}`),
  );
}

export function loadExceptions(file: string): KnownException[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { exceptions: KnownException[] };
  return parsed.exceptions;
}

/**
 * Runs Schemathesis on one app's committed document against the running app, and reads its
 * NDJSON event stream for what each operation did.
 */
export async function runSchemathesis(options: {
  name: string;
  documentFile: string;
  baseUrl: string;
  apiKey: string;
  outDir: string;
}): Promise<RunResult> {
  if (!existsSync(SCHEMATHESIS)) {
    throw new Error(
      'Schemathesis is not installed: run `source scripts/lib/ensure-deps.sh && ' +
        'ensure_schemathesis "$PWD"` (npm test does)',
    );
  }
  mkdirSync(options.outDir, { recursive: true });
  const events = path.join(options.outDir, `${options.name}.ndjson`);
  const args = [
    'run',
    path.join(REPO_ROOT, options.documentFile),
    '--url',
    options.baseUrl,
    '--header',
    `X-API-Key: ${options.apiKey}`,
    '--checks',
    CHECKS.join(','),
    '--phases',
    'examples,coverage,fuzzing',
    '--seed',
    String(SEED),
    '--max-examples',
    String(MAX_EXAMPLES),
    '--workers',
    '1',
    '--generation-database',
    'none',
    '--request-timeout',
    '20',
    '--continue-on-failure',
    '--no-color',
    '--report',
    'ndjson',
    '--report-ndjson-path',
    events,
  ];
  const log = await new Promise<string>((resolve, reject) => {
    const child = spawn(SCHEMATHESIS, args, { cwd: options.outDir, env: process.env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', () => resolve(output));
  });
  writeFileSync(path.join(options.outDir, `${options.name}.log`), log);
  return { ...readEvents(events), log };
}

interface CheckEvent {
  name: string;
  /** success, failure, error or skip */
  status: string;
  failure_info?: { failure?: { title?: string; message?: string } } | null;
}

interface ScenarioFinished {
  status: string;
  recorder: { label: string; checks?: Record<string, CheckEvent[]> };
}

/** The NDJSON events Schemathesis writes: one per scenario, with every check it ran. */
function readEvents(file: string): Omit<RunResult, 'log'> {
  const tested = new Set<string>();
  const failures: RunFailure[] = [];
  const errors: string[] = [];
  if (!existsSync(file)) return { tested, failures, errors: [`no event stream at ${file}`] };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as Record<string, unknown>;
    const finished = event.ScenarioFinished as ScenarioFinished | undefined;
    if (finished) {
      const label = finished.recorder.label;
      if (finished.status !== 'skip') tested.add(label);
      for (const checks of Object.values(finished.recorder.checks ?? {})) {
        for (const check of checks) {
          if (check.status !== 'failure') continue;
          const failure = check.failure_info?.failure;
          failures.push({
            operation: label,
            check: check.name,
            message: [failure?.title, failure?.message].filter(Boolean).join(': '),
          });
        }
      }
    }
    const error = event.NonFatalError ?? event.FatalError;
    if (error) errors.push(JSON.stringify(error).slice(0, 2000));
  }
  return { tested, failures, errors };
}
