import type { INestApplication } from '@nestjs/common';
import { API_ROLES, roleAllows, type ApiRole } from '@offline-sync/sync-core';
import type { Express } from 'express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';

/** `METHOD /path` as the app registers it, e.g. `GET /api/content/:type/:id`. */
export type RouteKey = string;
/** The least role a route needs, or `public` for routes open without a key. */
export type RouteAccess = ApiRole | 'public';
/** A request to one route with a given body, when the body decides the role (pull from the beginning). */
export interface RouteCase {
  route: RouteKey;
  body: object;
  access: RouteAccess;
}

export type Caller = ApiRole | 'no key';
export const CALLERS: readonly Caller[] = ['no key', ...API_ROLES];

/**
 * Every route the HTTP server has, as Nest (and Swagger's setup) registered them. Registrations
 * for every HTTP method are middleware (Nest's RequestMethod.ALL, e.g. the request logger), not
 * routes, and are left out.
 */
export function registeredRoutes(app: INestApplication): RouteKey[] {
  const server = app.getHttpAdapter().getInstance() as Express & { router: RouterLike };
  const routes = new Set<RouteKey>();
  for (const layer of server.router.stack) {
    if (!layer.route) continue;
    const methods = Object.keys(layer.route.methods).filter((m) => layer.route?.methods[m]);
    if (methods.includes('acl')) continue;
    for (const method of methods) routes.add(`${method.toUpperCase()} ${layer.route.path}`);
  }
  return [...routes].sort();
}

interface RouterLike {
  stack: { route?: { path: string; methods: Record<string, boolean> } }[];
}

/**
 * What the access rule says a caller gets: 401 without a key, 403 below the route's role,
 * `passes` otherwise (the request then reaches the route: 2xx, or a 4xx of its own such as 400
 * for the empty body or 404 for the made-up id).
 */
export function expectedAccess(access: RouteAccess, caller: Caller): 'passes' | 401 | 403 {
  if (access === 'public') return 'passes';
  if (caller === 'no key') return 401;
  return roleAllows(caller, access) ? 'passes' : 403;
}

/** Sends every case as every caller; answers what each got, in expectedAccess's terms. */
export async function accessMatrix(
  app: INestApplication,
  cases: readonly RouteCase[],
  keys: Record<ApiRole, string>,
): Promise<Record<string, Record<Caller, 'passes' | number>>> {
  const server = app.getHttpServer() as Parameters<typeof request>[0];
  const matrix: Record<string, Record<Caller, 'passes' | number>> = {};
  for (const c of cases) {
    const [method, path] = c.route.split(' ');
    const url = path.replace(':type', 'article').replace(/:id\b/, randomUUID());
    const row = {} as Record<Caller, 'passes' | number>;
    for (const caller of CALLERS) {
      let test = request(server)[method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](url);
      if (caller !== 'no key') test = test.set('X-API-Key', keys[caller]);
      if (method !== 'GET' && method !== 'DELETE') test = test.send(c.body);
      const { status } = await test;
      row[caller] = [401, 403, 429].includes(status) ? status : 'passes';
    }
    matrix[label(c)] = row;
  }
  return matrix;
}

export function expectedMatrix(
  cases: readonly RouteCase[],
): Record<string, Record<Caller, 'passes' | number>> {
  return Object.fromEntries(
    cases.map((c) => [
      label(c),
      Object.fromEntries(CALLERS.map((caller) => [caller, expectedAccess(c.access, caller)])),
    ]),
  ) as Record<string, Record<Caller, 'passes' | number>>;
}

/** One case per route with an empty body, plus the cases whose body decides. */
export function routeCases(
  table: Record<RouteKey, RouteAccess>,
  byBody: readonly RouteCase[] = [],
): RouteCase[] {
  return [
    ...Object.entries(table).map(([route, access]) => ({ route, body: {}, access })),
    ...byBody,
  ];
}

function label(c: RouteCase): string {
  const body = JSON.stringify(c.body);
  return body === '{}' ? c.route : `${c.route} ${body}`;
}
