export * from './api-key.guard';
export * from './api-key-store';
export * from './api-keys.parser';
export * from './api-principal';
export * from './api-role';
export * from './auth-failure-limiter';
export * from './auth.decorators';
export * from './auth.module';
