import { ForbiddenException, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard';
import { parseApiKeys } from './api-keys.parser';
import type { ApiPrincipal } from './api-principal';
import { PUBLIC_ROUTE, REQUIRED_ROLE } from './auth.decorators';

const keys = parseApiKeys(
  'crew:viewer:viewer-secret-123456,ops:operator:operator-secret-1234,root:admin:admin-secret-12345',
);

class Handlers {
  open(): void {}
  read(): void {}
  resolve(): void {}
}
Reflect.defineMetadata(PUBLIC_ROUTE, true, Handlers.prototype.open);
Reflect.defineMetadata(REQUIRED_ROLE, 'admin', Handlers.prototype.resolve);

function contextFor(
  handler: () => void,
  method: string,
  headers: Record<string, string>,
): { context: ExecutionContext; request: { principal?: ApiPrincipal } } {
  const request: { method: string; headers: Record<string, string>; principal?: ApiPrincipal } = {
    method,
    headers,
  };
  const context = {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => Handlers,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

describe('ApiKeyGuard', () => {
  const guard = new ApiKeyGuard(new Reflector(), keys);

  it('lets public routes through without a key', () => {
    expect(guard.canActivate(contextFor(Handlers.prototype.open, 'GET', {}).context)).toBe(true);
  });

  it('requires a key everywhere else', () => {
    const { context } = contextFor(Handlers.prototype.read, 'GET', {});
    expect(() => guard.canActivate(context)).toThrow(UnauthorizedException);
  });

  it('refuses an unknown key', () => {
    const { context } = contextFor(Handlers.prototype.read, 'GET', {
      'x-api-key': 'nope-nope-nope-nope',
    });
    expect(() => guard.canActivate(context)).toThrow('The API key is not valid');
  });

  it('accepts X-API-Key and Bearer, and records the principal', () => {
    const viaHeader = contextFor(Handlers.prototype.read, 'GET', {
      'x-api-key': 'viewer-secret-123456',
    });
    expect(guard.canActivate(viaHeader.context)).toBe(true);
    expect(viaHeader.request.principal).toEqual({ name: 'crew', role: 'viewer' });
    const viaBearer = contextFor(Handlers.prototype.read, 'GET', {
      authorization: 'Bearer operator-secret-1234',
    });
    expect(guard.canActivate(viaBearer.context)).toBe(true);
    expect(viaBearer.request.principal).toEqual({ name: 'ops', role: 'operator' });
  });

  it('needs operator for writes by default and the declared role where one is set', () => {
    const write = contextFor(Handlers.prototype.read, 'POST', {
      'x-api-key': 'viewer-secret-123456',
    });
    expect(() => guard.canActivate(write.context)).toThrow(ForbiddenException);
    const asOperator = contextFor(Handlers.prototype.read, 'POST', {
      'x-api-key': 'operator-secret-1234',
    });
    expect(guard.canActivate(asOperator.context)).toBe(true);
    const adminOnly = contextFor(Handlers.prototype.resolve, 'GET', {
      'x-api-key': 'operator-secret-1234',
    });
    expect(() => guard.canActivate(adminOnly.context)).toThrow(
      'This needs the admin role; the key has operator',
    );
  });
});

describe('parseApiKeys', () => {
  it.each([
    ['alice:operator', /must be name:role:secret/],
    ['alice:root:secret-secret-secret', /role must be one of viewer, operator, admin/],
    ['alice:viewer:short', /at least 16 characters/],
    ['Alice:viewer:secret-secret-secret', /name "Alice"/],
    ['a:viewer:secret-secret-secret,a:admin:secret-secret-secret2', /listed twice/],
  ])('rejects %s', (value, message) => {
    expect(() => parseApiKeys(value)).toThrow(message);
  });

  it('keeps colons inside secrets', () => {
    expect(parseApiKeys('bot:viewer:abc:def:ghi:jkl:mno')[0]).toMatchObject({
      name: 'bot',
      role: 'viewer',
    });
  });
});
