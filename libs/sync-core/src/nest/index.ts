export * from './input-validation.exception';
export * from './sync-exception.filter';
export * from './validation-errors';
export * from './validation-pipe.factory';
export * from './fast-check.reference';
export * from './nest-log-levels';
export * from './pagination-query.dto';
export * from './graceful-shutdown';
