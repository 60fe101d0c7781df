import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import { checkUniqueNames, parseApiKeys, type ApiKeyEntry } from './api-keys.parser';
import { errorMessage } from '../errors/error-message';

export interface ApiKeySources {
  /** `SYNC_API_KEYS`: fixed for the life of the process. */
  inline: string;
  /** `SYNC_API_KEYS_FILE`: re-read whenever it changes, so a key is revoked without a restart. */
  file?: string;
  /** How often the file's status is polled (`SYNC_API_KEYS_FILE_POLL_MS`). */
  pollIntervalMs: number;
}

/** Reads the key file; a missing file holds no keys (deleting it revokes them all). */
export function readApiKeyFile(path: string): ApiKeyEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`cannot read ${path} (${errorMessage(error)})`, { cause: error });
  }
  return parseApiKeys(text, path);
}

/**
 * The keys in force: those of `SYNC_API_KEYS` plus those of the key file. The file is polled
 * (stat, not inotify: a Kubernetes Secret volume swaps a symlink, which inotify on the file
 * misses). A file that no longer parses keeps the keys in force and logs why; a deleted file
 * revokes every key it held.
 */
export class ApiKeyStore implements OnApplicationShutdown {
  private readonly logger = new Logger(ApiKeyStore.name);
  private readonly inline: ApiKeyEntry[];
  private entries: ApiKeyEntry[];
  private readonly onChange = (current: Stats, previous: Stats) => {
    if (current.mtimeMs === previous.mtimeMs && current.size === previous.size) return;
    this.reload();
  };

  constructor(private readonly sources: ApiKeySources) {
    this.inline = parseApiKeys(sources.inline, 'SYNC_API_KEYS');
    this.entries = this.combine(sources.file ? readApiKeyFile(sources.file) : []);
    if (sources.file) {
      watchFile(
        sources.file,
        { interval: sources.pollIntervalMs, persistent: false },
        this.onChange,
      );
    }
  }

  current(): readonly ApiKeyEntry[] {
    return this.entries;
  }

  /** Re-reads the key file now; answers whether the keys in force changed to its content. */
  reload(): boolean {
    const file = this.sources.file;
    if (!file) return false;
    try {
      this.entries = this.combine(readApiKeyFile(file));
      this.logger.log(`API keys re-read from ${file}: ${this.entries.length} in force`);
      return true;
    } catch (error) {
      this.logger.error(
        `API key file ${file} not applied, the keys in force stay: ${errorMessage(error)}`,
      );
      return false;
    }
  }

  onApplicationShutdown(): void {
    if (this.sources.file) unwatchFile(this.sources.file, this.onChange);
  }

  private combine(fromFile: ApiKeyEntry[]): ApiKeyEntry[] {
    const all = [...this.inline, ...fromFile];
    checkUniqueNames(all);
    return all;
  }
}
