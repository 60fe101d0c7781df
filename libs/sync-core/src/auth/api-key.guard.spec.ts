import { ForbiddenException, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HttpException } from '@nestjs/common';
import { ApiKeyGuard } from './api-key.guard';
import { hashedSecret, parseApiKeys } from './api-keys.parser';
import { AuthFailureLimiter } from './auth-failure-limiter';
import type { ApiPrincipal } from './api-principal';
import { PUBLIC_ROUTE, REQUIRED_ROLE } from './auth.decorators';

const keys = parseApiKeys(
  'crew:viewer:viewer-secret-123456,ops:operator:operator-secret-1234,root:admin:admin-secret-12345,' +
    `deck:crew:${hashedSecret('deck-crew-secret-1234')}`,
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
  ip = '10.0.0.1',
): {
  context: ExecutionContext;
  request: { principal?: ApiPrincipal };
  response: { headers: Record<string, string> };
} {
  const request: {
    method: string;
    headers: Record<string, string>;
    ip: string;
    principal?: ApiPrincipal;
  } = { method, headers, ip };
  const response = {
    headers: {} as Record<string, string>,
    setHeader(name: string, value: string) {
      this.headers[name] = value;
    },
  };
  const context = {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => Handlers,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
  return { context, request, response };
}

describe('ApiKeyGuard', () => {
  const guard = new ApiKeyGuard(new Reflector(), keys);

  it('lets public routes through without a key', async () => {
    await expect(
      guard.canActivate(contextFor(Handlers.prototype.open, 'GET', {}).context),
    ).resolves.toBe(true);
  });

  it('requires a key everywhere else', async () => {
    const { context } = contextFor(Handlers.prototype.read, 'GET', {});
    await expect(guard.canActivate(context)).rejects.toThrow(UnauthorizedException);
  });

  it('refuses an unknown key', async () => {
    const { context } = contextFor(Handlers.prototype.read, 'GET', {
      'x-api-key': 'nope-nope-nope-nope',
    });
    await expect(guard.canActivate(context)).rejects.toThrow('The API key is not valid');
  });

  it('accepts X-API-Key and Bearer, and records the principal', async () => {
    const viaHeader = contextFor(Handlers.prototype.read, 'GET', {
      'x-api-key': 'viewer-secret-123456',
    });
    await expect(guard.canActivate(viaHeader.context)).resolves.toBe(true);
    expect(viaHeader.request.principal).toEqual({ name: 'crew', role: 'viewer' });
    const viaBearer = contextFor(Handlers.prototype.read, 'GET', {
      authorization: 'Bearer operator-secret-1234',
    });
    await expect(guard.canActivate(viaBearer.context)).resolves.toBe(true);
    expect(viaBearer.request.principal).toEqual({ name: 'ops', role: 'operator' });
  });

  it('accepts a key configured by its sha256 digest', async () => {
    const hashed = contextFor(Handlers.prototype.read, 'GET', {
      'x-api-key': 'deck-crew-secret-1234',
    });
    await expect(guard.canActivate(hashed.context)).resolves.toBe(true);
    expect(hashed.request.principal).toEqual({ name: 'deck', role: 'crew' });
    // The digest itself is not a key.
    const digest = contextFor(Handlers.prototype.read, 'GET', {
      'x-api-key': hashedSecret('deck-crew-secret-1234'),
    });
    await expect(guard.canActivate(digest.context)).rejects.toThrow('The API key is not valid');
  });

  it('needs operator for writes by default and the declared role where one is set', async () => {
    const write = contextFor(Handlers.prototype.read, 'POST', {
      'x-api-key': 'deck-crew-secret-1234',
    });
    await expect(guard.canActivate(write.context)).rejects.toThrow(ForbiddenException);
    const asOperator = contextFor(Handlers.prototype.read, 'POST', {
      'x-api-key': 'operator-secret-1234',
    });
    await expect(guard.canActivate(asOperator.context)).resolves.toBe(true);
    const adminOnly = contextFor(Handlers.prototype.resolve, 'GET', {
      'x-api-key': 'operator-secret-1234',
    });
    await expect(guard.canActivate(adminOnly.context)).rejects.toThrow(
      'This needs the admin role; the key has operator',
    );
  });

  it('answers 429 with Retry-After past the limit of wrong keys from one address, right key or not', async () => {
    const limiter = new AuthFailureLimiter({ limit: 3, windowMs: 60_000, blockMs: 120_000 });
    const limited = new ApiKeyGuard(new Reflector(), keys, limiter);
    const attempt = (key: string, ip = '10.0.0.9') => {
      const call = contextFor(Handlers.prototype.read, 'GET', { 'x-api-key': key }, ip);
      return { result: limited.canActivate(call.context), response: call.response };
    };
    for (let i = 0; i < 3; i++) {
      await expect(attempt(`wrong-guess-number-${i}`).result).rejects.toThrow(
        UnauthorizedException,
      );
    }
    const fourth = attempt('wrong-guess-number-3');
    const error = await fourth.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpException);
    expect((error as HttpException).getStatus()).toBe(429);
    expect(Number(fourth.response.headers['Retry-After'])).toBeGreaterThan(0);
    // Blocked: even the right key waits, so a lucky guess during the block gains nothing.
    const right = attempt('operator-secret-1234');
    await expect(right.result).rejects.toThrow(/Too many wrong API keys/);
    expect(Number(right.response.headers['Retry-After'])).toBeGreaterThan(0);
    // Another address is not affected; public routes never are.
    await expect(attempt('operator-secret-1234', '10.0.0.10').result).resolves.toBe(true);
    const open = contextFor(Handlers.prototype.open, 'GET', {}, '10.0.0.9');
    await expect(limited.canActivate(open.context)).resolves.toBe(true);
    limiter.onApplicationShutdown();
  });
});

describe('parseApiKeys', () => {
  it.each([
    ['alice:operator', /must be name:role:secret/],
    ['alice:root:secret-secret-secret', /role must be one of viewer, crew, operator, admin/],
    ['alice:viewer:sha256:abcd', /sha256: and 64 hex digits/],
    ['alice:viewer:short', /at least 16 characters/],
    ['Alice:viewer:secret-secret-secret', /name "Alice"/],
    ['a:viewer:secret-secret-secret,a:admin:secret-secret-secret2', /listed twice/],
  ])('rejects %s', (value, message) => {
    expect(() => parseApiKeys(value)).toThrow(message);
  });

  it('reads entries on lines, skips comments, and takes sha256 digests as given', () => {
    const digest = hashedSecret('a-secret-of-some-length');
    const entries = parseApiKeys(
      `# shore, then the deck: name:role:secret\nops:operator:${digest}\n\ndeck:crew:another-long-secret-1`,
    );
    expect(entries.map((e) => [e.name, e.role])).toEqual([
      ['ops', 'operator'],
      ['deck', 'crew'],
    ]);
    expect(entries[0].digest.toString('hex')).toBe(digest.slice('sha256:'.length));
  });

  it('keeps colons inside secrets', () => {
    expect(parseApiKeys('bot:viewer:abc:def:ghi:jkl:mno')[0]).toMatchObject({
      name: 'bot',
      role: 'viewer',
    });
  });
});
