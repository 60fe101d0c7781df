/**
 * Roles in increasing order of power: each role may do what the ones before it may.
 * - viewer: reads (status, queues, conflicts, ships, health detail, metrics);
 * - crew: content reads and writes on its own ship;
 * - operator: shore work — resolving conflicts, dead letters, the master's content;
 * - admin: push, a pull from the beginning (a full re-download), key and node administration.
 */
export const API_ROLES = ['viewer', 'crew', 'operator', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export function roleAllows(granted: ApiRole, required: ApiRole): boolean {
  return API_ROLES.indexOf(granted) >= API_ROLES.indexOf(required);
}

export function isApiRole(value: string): value is ApiRole {
  return (API_ROLES as readonly string[]).includes(value);
}
