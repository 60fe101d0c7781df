import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components as MasterComponents, paths as MasterPaths } from './master.schema';
import type { components as ShipComponents, paths as ShipPaths } from './ship.schema';

/**
 * Typed clients of both apps' REST APIs, generated from openapi/master.json and openapi/ship.json
 * (openapi-typescript types, openapi-fetch calls): `client.GET('/api/offline-sync/conflicts',
 * { params: { query: { status: 'open' } } })` answers `{ data, error, response }`, each typed
 * from the documents. Works in Node 18+ and browsers (fetch).
 */
export type { MasterPaths, ShipPaths };
export type MasterSchemas = MasterComponents['schemas'];
export type ShipSchemas = ShipComponents['schemas'];
export type MasterClient = Client<MasterPaths>;
export type ShipClient = Client<ShipPaths>;

export interface ApiClientOptions {
  /** The node's origin, e.g. `http://127.0.0.1:3000` (paths carry the /api prefix). */
  baseUrl: string;
  /** Sent as X-API-Key on every request. */
  apiKey?: string;
  /** Another fetch (tests, a browser's with credentials...). */
  fetch?: typeof globalThis.fetch;
}

function apiKeyMiddleware(apiKey: string): Middleware {
  return {
    onRequest({ request }) {
      request.headers.set('X-API-Key', apiKey);
      return request;
    },
  };
}

function create<Paths extends object>(options: ApiClientOptions): Client<Paths> {
  const client = createClient<Paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  if (options.apiKey !== undefined) client.use(apiKeyMiddleware(options.apiKey));
  return client;
}

/** A client of the master hub's API. */
export function createMasterClient(options: ApiClientOptions): MasterClient {
  return create<MasterPaths>(options);
}

/** A client of a ship edge's API. */
export function createShipClient(options: ApiClientOptions): ShipClient {
  return create<ShipPaths>(options);
}
