import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { ApiRole } from './api-role';
import type { ApiPrincipal } from './api-principal';

export const REQUIRED_ROLE = 'offline-sync:required-role';
export const PUBLIC_ROUTE = 'offline-sync:public-route';

/** The least role a route needs. Without it: viewer for GET/HEAD, operator for anything else. */
export const RequireRole = (role: ApiRole) => SetMetadata(REQUIRED_ROLE, role);

/** Routes open without a key: health probes and metrics only. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** The authenticated caller of a request. */
export const Principal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ApiPrincipal =>
    context.switchToHttp().getRequest<{ principal: ApiPrincipal }>().principal,
);
