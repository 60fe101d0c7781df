export * from './api-key.guard';
export * from './api-keys.parser';
export * from './api-principal';
export * from './api-role';
export * from './auth.decorators';
export * from './whoami.controller';
