import type { HistoryWriter } from './history';

/** How long a request may take: a paused node answers nothing, and the client moves on. */
export const REQUEST_TIMEOUT_MS = 10_000;

export interface ApiAnswer<T = unknown> {
  status: number | null;
  body?: T;
  error?: string;
}

/**
 * Calls a node's public API and records the request and its answer in the history (writes with
 * their bodies; reads by status only, their bodies stay out of the history).
 */
export class ApiClient {
  constructor(
    private readonly history: HistoryWriter,
    private readonly urls: Record<string, string>,
    private readonly keys: Record<string, string>,
  ) {}

  async call<T = unknown>(
    client: string,
    node: string,
    method: string,
    path: string,
    body?: unknown,
    {
      record = true,
      timeoutMs = REQUEST_TIMEOUT_MS,
      id = this.history.opId(),
    }: { record?: boolean; timeoutMs?: number; id?: number } = {},
  ): Promise<ApiAnswer<T>> {
    const t0 = this.history.now();
    const answer = await this.send<T>(node, method, path, body, timeoutMs);
    if (record) {
      this.history.write({
        type: 'op',
        id,
        node,
        client,
        t0,
        t1: this.history.now(),
        method,
        path,
        ...(body === undefined ? {} : { body }),
        status: answer.status,
        ...(method !== 'GET' && answer.body !== undefined ? { response: answer.body } : {}),
        ...(answer.error ? { error: answer.error } : {}),
      });
    }
    return answer;
  }

  /** An operation id taken ahead, so the values a request writes can name it. */
  reserveId(): number {
    return this.history.opId();
  }

  private async send<T>(
    node: string,
    method: string,
    path: string,
    body: unknown,
    timeoutMs: number,
  ): Promise<ApiAnswer<T>> {
    try {
      const response = await fetch(`${this.urls[node]}${path}`, {
        method,
        headers: { 'content-type': 'application/json', 'x-api-key': this.keys[node] },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      let parsed: unknown = undefined;
      try {
        parsed = text ? (JSON.parse(text) as unknown) : undefined;
      } catch {
        parsed = { text: text.slice(0, 500) };
      }
      return { status: response.status, body: parsed as T };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      const name = error instanceof Error ? error.name : 'Error';
      return {
        status: null,
        error: name === 'TimeoutError' ? 'timeout' : (cause ?? (error as Error).message),
      };
    }
  }
}
