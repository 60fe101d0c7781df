import { issueApiKey, runApiKeygen } from './api-keygen';
import { digestOf, parseApiKeys } from './auth/api-keys.parser';

describe('api-key', () => {
  it('prints the key and its hashed configuration entry, which accepts that key', () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = runApiKeygen(['deck', 'crew'], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    });
    expect(code).toBe(0);
    const [keyLine, hashedLine] = out.join('').trim().split('\n');
    const secret = keyLine.slice('deck:crew:'.length);
    expect(secret.length).toBeGreaterThanOrEqual(40);
    expect(hashedLine).toMatch(/^deck:crew:sha256:[0-9a-f]{64}$/);
    expect(hashedLine).not.toContain(secret);
    const [entry] = parseApiKeys(hashedLine);
    expect(entry).toMatchObject({ name: 'deck', role: 'crew' });
    expect(entry.digest).toEqual(digestOf(secret));
    expect(err.join('')).toContain('SYNC_API_KEYS_FILE');
  });

  it.each([
    [['deck'], /usage/],
    [['deck', 'captain'], /role must be one of viewer, crew, operator, admin/],
    [['Deck', 'crew'], /name "Deck"/],
  ])('refuses %j', (args, message) => {
    const err: string[] = [];
    expect(runApiKeygen(args, { out: () => undefined, err: (t) => err.push(t) })).toBe(2);
    expect(err.join('')).toMatch(message);
  });

  it('mints a different key every time', () => {
    expect(issueApiKey('a', 'viewer').secret).not.toBe(issueApiKey('a', 'viewer').secret);
  });
});
