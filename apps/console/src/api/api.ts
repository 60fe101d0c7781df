import { forgetApiKey, storedApiKey } from '../auth/api-key.store';
import { ApiError, errorMessageOf } from './api-error';
import type {
  BulkResolution,
  Conflict,
  ConflictPage,
  ConflictQuery,
  ContentDocument,
  ContentType,
  DeadLetter,
  Page,
  Principal,
  Revision,
  Ship,
  ShipQuery,
  Strategy,
} from './api-types';

type Query = Record<string, string | number | undefined>;

function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** One call to the master's REST API with the signed-in key; a refusal throws ApiError. */
async function call<T>(
  method: string,
  path: string,
  options: { query?: Query; body?: unknown; key?: string } = {},
): Promise<T> {
  const key = options.key ?? storedApiKey();
  const response = await fetch(`/api${path}${queryString(options.query)}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(key ? { 'x-api-key': key } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  const body: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    // A key that stopped working (revoked) signs the operator out.
    if (response.status === 401 && options.key === undefined) forgetApiKey();
    throw new ApiError(response.status, errorMessageOf(response.status, body), body);
  }
  return body as T;
}

export const api = {
  whoami: (key?: string) => call<Principal>('GET', '/offline-sync/whoami', { key }),

  conflicts: (query: ConflictQuery) =>
    call<ConflictPage>('GET', '/offline-sync/conflicts', { query: { ...query } }),
  conflict: (id: string) => call<Conflict>('GET', `/offline-sync/conflicts/${id}`),
  resolve: (id: string, strategy: Strategy, mergeData?: Record<string, unknown>) =>
    call<Conflict>('POST', `/offline-sync/conflicts/${id}/resolve`, {
      body: mergeData === undefined ? { strategy } : { strategy, mergeData },
    }),
  resolveMany: (ids: string[], strategy: Exclude<Strategy, 'merge'>) =>
    call<BulkResolution>('POST', '/offline-sync/conflicts/resolve', { body: { ids, strategy } }),
  restore: (id: string, side: 'ship' | 'master') =>
    call<Conflict>('POST', `/offline-sync/conflicts/${id}/restore`, { body: { side } }),

  ships: (query: ShipQuery) =>
    call<Page<Ship>>('GET', '/offline-sync/ships', { query: { ...query } }),

  deadLetters: (query: { status?: string; page?: number; pageSize?: number }) =>
    call<Page<DeadLetter>>('GET', '/offline-sync/dead-letters', { query }),
  retryDeadLetter: (id: string) =>
    call<DeadLetter>('POST', `/offline-sync/dead-letters/${id}/retry`),

  contentTypes: () => call<ContentType[]>('GET', '/offline-sync/content-types'),
  documents: (type: string, locale: string, page: number, pageSize: number) =>
    call<Page<ContentDocument>>('GET', `/content/${encodeURIComponent(type)}`, {
      query: { locale, page, pageSize },
    }),
  document: (type: string, id: string, locale: string) =>
    call<ContentDocument>('GET', `/content/${encodeURIComponent(type)}/${id}`, {
      query: { locale },
    }),
  revisions: (type: string, id: string, locale: string, page = 1, pageSize = 100) =>
    call<Page<Revision>>('GET', `/content/${encodeURIComponent(type)}/${id}/revisions`, {
      query: { locale, page, pageSize },
    }),
};
