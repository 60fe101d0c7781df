import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The product version from package.json, reported in heartbeats, metrics and the API docs. */
export const APP_VERSION: string = readVersion();

function readVersion(): string {
  for (const dir of [process.cwd(), join(__dirname, '..', '..', '..', '..')]) {
    try {
      const parsed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        version?: unknown;
      };
      if (typeof parsed.version === 'string') return parsed.version;
    } catch {
      // try the next place
    }
  }
  return '0.0.0';
}
