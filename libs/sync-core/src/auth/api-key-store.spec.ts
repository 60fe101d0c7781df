import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyStore } from './api-key-store';
import { digestOf, hashedSecret } from './api-keys.parser';

describe('ApiKeyStore', () => {
  let dir: string;
  let file: string;
  let store: ApiKeyStore | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'api-keys-'));
    file = join(dir, 'keys');
  });
  afterEach(() => {
    store?.onApplicationShutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  const names = () => store!.current().map((e) => e.name);

  it('holds the inline keys and the file keys, and follows the file when it changes', () => {
    writeFileSync(
      file,
      `deck:crew:${hashedSecret('deck-secret-0123456')}\nbridge:viewer:bridge-secret-0123456\n`,
    );
    store = new ApiKeyStore({
      inline: 'ops:operator:ops-secret-01234567',
      file,
      pollIntervalMs: 60_000,
    });
    expect(names()).toEqual(['ops', 'deck', 'bridge']);
    expect(store.current()[1].digest).toEqual(digestOf('deck-secret-0123456'));

    // Revoke deck: the file without it.
    writeFileSync(file, 'bridge:viewer:bridge-secret-0123456\n');
    expect(store.reload()).toBe(true);
    expect(names()).toEqual(['ops', 'bridge']);

    // A file that no longer parses leaves the keys in force.
    writeFileSync(file, 'bridge:nobody:bridge-secret-0123456\n');
    expect(store.reload()).toBe(false);
    expect(names()).toEqual(['ops', 'bridge']);

    // A name taken inline cannot come from the file too.
    writeFileSync(file, 'ops:viewer:other-secret-01234567\n');
    expect(store.reload()).toBe(false);

    // Deleting the file revokes every key it held.
    unlinkSync(file);
    expect(store.reload()).toBe(true);
    expect(names()).toEqual(['ops']);
  });

  it('refuses to start on a file that does not parse, naming it', () => {
    writeFileSync(file, 'deck:crew:short\n');
    expect(() => new ApiKeyStore({ inline: '', file, pollIntervalMs: 60_000 })).toThrow(
      `${file}: entry 1: secret must have at least 16 characters`,
    );
  });
});
