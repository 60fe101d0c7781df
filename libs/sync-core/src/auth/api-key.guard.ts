import {
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { digestOf, type ApiKeyEntry } from './api-keys.parser';
import type { ApiPrincipal } from './api-principal';
import { roleAllows, type ApiRole } from './api-role';
import { PUBLIC_ROUTE, REQUIRED_ROLE } from './auth.decorators';

/**
 * Every HTTP route needs an API key (`X-API-Key: <secret>` or `Authorization: Bearer <secret>`)
 * unless marked @Public(). Keys are compared by digest in constant time.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyEntry[],
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<Request & { principal?: ApiPrincipal }>();
    const secret = presentedSecret(request);
    if (!secret) {
      throw new UnauthorizedException('An API key is required: send it in the X-API-Key header');
    }
    const entry = this.match(secret);
    if (!entry) throw new UnauthorizedException('The API key is not valid');

    const required =
      this.reflector.getAllAndOverride<ApiRole>(REQUIRED_ROLE, targets) ??
      (['GET', 'HEAD'].includes(request.method) ? 'viewer' : 'operator');
    if (!roleAllows(entry.role, required)) {
      throw new ForbiddenException(`This needs the ${required} role; the key has ${entry.role}`);
    }
    request.principal = { name: entry.name, role: entry.role };
    return true;
  }

  private match(secret: string): ApiKeyEntry | undefined {
    const digest = digestOf(secret);
    // Check every key, so the time taken does not reveal which one (if any) matched.
    let found: ApiKeyEntry | undefined;
    for (const entry of this.keys) {
      if (timingSafeEqual(entry.digest, digest)) found = entry;
    }
    return found;
  }
}

function presentedSecret(request: Request): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.trim() !== '') return header.trim();
  const authorization = request.headers.authorization;
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i);
  return bearer ? bearer[1].trim() : undefined;
}
