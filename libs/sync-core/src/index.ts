/**
 * Offline Sync core: the contracts both apps speak (wire messages, signed envelopes), the
 * version and conflict rules, and the Kafka, configuration and Nest helpers they share.
 * Apps import from here only, never from each other.
 */
export * from './auth';
export * from './config';
export * from './content-types';
export * from './contracts';
export * from './envelope';
export * from './ids';
export * from './kafka';
export * from './nest';
export * from './observability';
export * from './threads';
export * from './versioning';
export * from './retry/backoff';
export * from './errors/error-message';
