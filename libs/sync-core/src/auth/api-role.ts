/** Roles in increasing order of power: each role may do what the ones before it may. */
export const API_ROLES = ['viewer', 'operator', 'admin'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export function roleAllows(granted: ApiRole, required: ApiRole): boolean {
  return API_ROLES.indexOf(granted) >= API_ROLES.indexOf(required);
}
