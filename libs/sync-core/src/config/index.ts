export * from './env-transforms';
export * from './is-parsable.validator';
export * from './kafka.env';
export * from './run-main';
export * from './sync.env';
export * from './validate-env';
