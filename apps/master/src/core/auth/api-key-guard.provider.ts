import type { Provider } from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { ApiKeyGuard, parseApiKeys } from '@offline-sync/sync-core';
import { MasterConfig } from '../config/master-config';

/** Every HTTP route needs an API key with a fitting role, except those marked @Public(). */
export const apiKeyGuardProvider: Provider = {
  provide: APP_GUARD,
  inject: [Reflector, MasterConfig],
  useFactory: (reflector: Reflector, config: MasterConfig) =>
    new ApiKeyGuard(reflector, parseApiKeys(config.apiKeys)),
};
