import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyStore, type ApiKeySources } from './api-key-store';
import { AuthFailureLimiter, type AuthFailureLimits } from './auth-failure-limiter';

export interface AuthSettings {
  keys: ApiKeySources;
  failures: AuthFailureLimits;
}

/** Settings from the shared environment variables (SyncEnv). */
export function authSettingsFromEnv(env: {
  SYNC_API_KEYS: string;
  SYNC_API_KEYS_FILE: string;
  SYNC_API_KEYS_FILE_POLL_MS: number;
  SYNC_AUTH_FAILURE_LIMIT: number;
  SYNC_AUTH_FAILURE_WINDOW_MS: number;
  SYNC_AUTH_BLOCK_MS: number;
}): AuthSettings {
  return {
    keys: {
      inline: env.SYNC_API_KEYS,
      file: env.SYNC_API_KEYS_FILE === '' ? undefined : env.SYNC_API_KEYS_FILE,
      pollIntervalMs: env.SYNC_API_KEYS_FILE_POLL_MS,
    },
    failures: {
      limit: env.SYNC_AUTH_FAILURE_LIMIT,
      windowMs: env.SYNC_AUTH_FAILURE_WINDOW_MS,
      blockMs: env.SYNC_AUTH_BLOCK_MS,
    },
  };
}

/**
 * API keys for either app: the global guard, the key store (SYNC_API_KEYS plus the watched
 * SYNC_API_KEYS_FILE) and the limit on wrong keys per client address.
 */
@Module({})
export class AuthModule {
  static forRoot(settings: AuthSettings): DynamicModule {
    return {
      module: AuthModule,
      providers: [
        { provide: ApiKeyStore, useFactory: () => new ApiKeyStore(settings.keys) },
        {
          provide: AuthFailureLimiter,
          useFactory: () => new AuthFailureLimiter(settings.failures),
        },
        {
          provide: APP_GUARD,
          inject: [Reflector, ApiKeyStore, AuthFailureLimiter],
          useFactory: (reflector: Reflector, store: ApiKeyStore, limiter: AuthFailureLimiter) =>
            new ApiKeyGuard(reflector, store, limiter),
        },
      ],
      exports: [ApiKeyStore],
    };
  }
}
