import type { ApiRole } from './api-role';

/** Who made a request, as established by the API key guard. */
export interface ApiPrincipal {
  name: string;
  role: ApiRole;
}
