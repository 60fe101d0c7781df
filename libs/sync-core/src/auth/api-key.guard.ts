import {
  ForbiddenException,
  HttpException,
  HttpStatus,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { digestOf, type ApiKeyEntry } from './api-keys.parser';
import type { ApiKeyStore } from './api-key-store';
import type { ApiPrincipal } from './api-principal';
import { roleAllows, type ApiRole } from './api-role';
import { PUBLIC_ROUTE, REQUIRED_ROLE } from './auth.decorators';
import type { AuthFailureLimiter } from './auth-failure-limiter';

/** The keys to check against: a fixed list (tests) or the store that follows the key file. */
export type ApiKeySource = Pick<ApiKeyStore, 'current'> | readonly ApiKeyEntry[];

/**
 * Every HTTP route needs an API key (`X-API-Key: <secret>` or `Authorization: Bearer <secret>`)
 * unless marked @Public(). Keys are compared by digest in constant time. Past the limit of wrong
 * keys from one address, that address gets 429 with `Retry-After` (AuthFailureLimiter).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeySource,
    private readonly failures?: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<Request & { principal?: ApiPrincipal }>();
    const address = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    const blocked = this.failures?.blockedFor(address) ?? 0;
    if (blocked > 0) throw tooManyFailures(http.getResponse<Response>(), blocked);

    const secret = presentedSecret(request);
    if (!secret) {
      throw new UnauthorizedException('An API key is required: send it in the X-API-Key header');
    }
    const entry = this.match(secret);
    if (!entry) {
      const nowBlocked = (await this.failures?.recordFailure(address)) ?? 0;
      if (nowBlocked > 0) throw tooManyFailures(http.getResponse<Response>(), nowBlocked);
      throw new UnauthorizedException('The API key is not valid');
    }

    const required =
      this.reflector.getAllAndOverride<ApiRole>(REQUIRED_ROLE, targets) ??
      (['GET', 'HEAD'].includes(request.method) ? 'viewer' : 'operator');
    const principal = { name: entry.name, role: entry.role };
    assertRole(principal, required);
    request.principal = principal;
    return true;
  }

  private match(secret: string): ApiKeyEntry | undefined {
    const digest = digestOf(secret);
    const keys = Array.isArray(this.keys)
      ? (this.keys as readonly ApiKeyEntry[])
      : (this.keys as Pick<ApiKeyStore, 'current'>).current();
    // Check every key, so the time taken does not reveal which one (if any) matched.
    let found: ApiKeyEntry | undefined;
    for (const entry of keys) {
      if (timingSafeEqual(entry.digest, digest)) found = entry;
    }
    return found;
  }
}

/** For a decision the route's metadata cannot express (it depends on the body). */
export function assertRole(principal: ApiPrincipal, required: ApiRole, what = 'This'): void {
  if (!roleAllows(principal.role, required)) {
    throw new ForbiddenException(
      `${what} needs the ${required} role; the key has ${principal.role}`,
    );
  }
}

function tooManyFailures(response: Response, seconds: number): HttpException {
  response.setHeader('Retry-After', String(seconds));
  return new HttpException(
    {
      statusCode: HttpStatus.TOO_MANY_REQUESTS,
      error: 'Too Many Requests',
      message: `Too many wrong API keys from this address: try again in ${seconds} s`,
    },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}

function presentedSecret(request: Request): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header.trim() !== '') return header.trim();
  const authorization = request.headers.authorization;
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i);
  return bearer ? bearer[1].trim() : undefined;
}
