import { createMasterClient } from '@offline-sync/api-client';
import { forgetApiKey, storedApiKey } from '../auth/api-key.store';
import { ApiError, errorMessageOf } from './api-error';
import type { ConflictQuery, DeadLetterQuery, ShipQuery, Strategy } from './api-types';

/** The master's API, typed from its OpenAPI document, with the signed-in key (or `key`). */
function master(key: string | null = storedApiKey()) {
  return createMasterClient({ baseUrl: window.location.origin, apiKey: key ?? undefined });
}

/** The data of a call, or an ApiError with the message the API gave. */
async function data<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
  signOutOn401 = true,
): Promise<T> {
  const { data: body, error, response } = await call;
  if (!response.ok || body === undefined) {
    // A key that stopped working (revoked) signs the operator out.
    if (response.status === 401 && signOutOn401) forgetApiKey();
    throw new ApiError(response.status, errorMessageOf(response.status, error), error);
  }
  return body;
}

export const api = {
  whoami: (key?: string) =>
    data(master(key ?? storedApiKey()).GET('/api/offline-sync/whoami'), key === undefined),

  conflicts: (query: ConflictQuery) =>
    data(master().GET('/api/offline-sync/conflicts', { params: { query } })),
  conflict: (id: string) =>
    data(master().GET('/api/offline-sync/conflicts/{id}', { params: { path: { id } } })),
  resolve: (id: string, strategy: Strategy, mergeData?: Record<string, unknown>) =>
    data(
      master().POST('/api/offline-sync/conflicts/{id}/resolve', {
        params: { path: { id } },
        body: mergeData === undefined ? { strategy } : { strategy, mergeData },
      }),
    ),
  resolveMany: (ids: string[], strategy: Exclude<Strategy, 'merge'>) =>
    data(master().POST('/api/offline-sync/conflicts/resolve', { body: { ids, strategy } })),
  restore: (id: string, side: 'ship' | 'master') =>
    data(
      master().POST('/api/offline-sync/conflicts/{id}/restore', {
        params: { path: { id } },
        body: { side },
      }),
    ),

  ships: (query: ShipQuery) => data(master().GET('/api/offline-sync/ships', { params: { query } })),

  deadLetters: (query: DeadLetterQuery) =>
    data(master().GET('/api/offline-sync/dead-letters', { params: { query } })),
  retryDeadLetter: (id: string) =>
    data(master().POST('/api/offline-sync/dead-letters/{id}/retry', { params: { path: { id } } })),

  contentTypes: () => data(master().GET('/api/offline-sync/content-types')),
  documents: (type: string, locale: string, page: number, pageSize: number) =>
    data(
      master().GET('/api/content/{type}', {
        params: { path: { type }, query: { locale, page, pageSize } },
      }),
    ),
  document: (type: string, id: string, locale: string) =>
    data(
      master().GET('/api/content/{type}/{id}', {
        params: { path: { type, id }, query: { locale } },
      }),
    ),
  revisions: (type: string, id: string, locale: string, page = 1, pageSize = 100) =>
    data(
      master().GET('/api/content/{type}/{id}/revisions', {
        params: { path: { type, id }, query: { locale, page, pageSize } },
      }),
    ),
};
