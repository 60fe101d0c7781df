/** The operator's API key lives in session storage only: never in a URL, gone with the tab. */
const KEY = 'offline-sync.api-key';

export function storedApiKey(): string | null {
  return sessionStorage.getItem(KEY);
}

export function storeApiKey(key: string): void {
  sessionStorage.setItem(KEY, key);
}

export function forgetApiKey(): void {
  sessionStorage.removeItem(KEY);
}
