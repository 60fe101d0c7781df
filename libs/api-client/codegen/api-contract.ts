import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export type ApiApp = 'master' | 'ship';
export const API_APPS: readonly ApiApp[] = ['master', 'ship'];

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The committed OpenAPI document of an app, relative to the repository root. */
export const documentPath = (app: ApiApp): string => path.join('openapi', `${app}.json`);

/** The committed client types generated from it. */
export const clientTypesPath = (app: ApiApp): string =>
  path.join('libs', 'api-client', 'src', `${app}.schema.ts`);

export function readCommitted(file: string): string {
  return readFileSync(path.join(ROOT, file), 'utf8');
}

export function absolute(file: string): string {
  return path.join(ROOT, file);
}

/**
 * The text of an app's OpenAPI document as committed. Generated files are left out of Prettier
 * (.prettierignore): its formatter loads ES modules, which Jest's CommonJS runtime cannot.
 */
export function documentText(document: object): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

const BANNER = '// Generated from openapi/%s.json by `npm run openapi`: do not edit.\n';

/**
 * The TypeScript types of an app's document, as committed: openapi-typescript's CLI (a process
 * of its own: the package loads ES modules, which Jest's CommonJS runtime cannot).
 */
export function clientTypesText(app: ApiApp, document: object): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'openapi-'));
  try {
    const input = path.join(dir, `${app}.json`);
    writeFileSync(input, JSON.stringify(document));
    const cli = path.join(
      path.dirname(require.resolve('openapi-typescript')),
      '..',
      'bin',
      'cli.js',
    );
    // From the temporary folder: the CLI would otherwise lint with this repository's redocly.yaml.
    const types = execFileSync(process.execPath, [cli, input], { cwd: dir, encoding: 'utf8' });
    return BANNER.replace('%s', app) + types;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The first line where two texts differ, for a readable drift message. */
export function firstDifference(expected: string, actual: string): string | null {
  if (expected === actual) return null;
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    if (a[i] !== b[i]) {
      return `line ${i + 1}: committed ${JSON.stringify(b[i] ?? '')}, code ${JSON.stringify(a[i] ?? '')}`;
    }
  }
  return 'line endings differ';
}
