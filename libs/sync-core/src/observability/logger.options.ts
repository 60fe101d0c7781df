import { RequestMethod } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { uuidV7 } from '../ids/uuid-v7';

export interface LoggerSettings {
  level: string;
  /** `master` or `ship`. */
  app: string;
  /** `master` or the ship id: which node wrote the line. */
  node: string;
}

/** Never in a log line: credentials and keys, wherever they appear. */
const REDACTED = [
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  'secret',
  'privateKey',
  'apiKey',
  '*.password',
  '*.secret',
  '*.privateKey',
  '*.apiKey',
  '*.apiKeys',
  '*.*.password',
  '*.sasl.password',
  '*.ssl.key',
  '*.ssl.passphrase',
  '*.SYNC_SIGNING_PRIVATE_KEY',
  '*.SYNC_API_KEYS',
  '*.KAFKA_SASL_PASSWORD',
  '*.KAFKA_SSL_KEY',
  '*.KAFKA_SSL_KEY_PASSWORD',
  '*.DATABASE_URL',
];

/** The redaction of every log line (exported for its test). */
export const LOG_REDACTION = { paths: REDACTED, censor: '[redacted]' };

/**
 * Structured JSON logs (pino): one object per line with app, node and request id, so a fleet's
 * logs can be joined by message id, ship id or request id. Probes and scrapes are not logged.
 */
export function loggerParams(settings: LoggerSettings): Params {
  return {
    // The named wildcard of Express 5; nestjs-pino's default '*' makes Nest warn at every start.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: settings.level,
      base: { app: settings.app, node: settings.node },
      redact: LOG_REDACTION,
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : uuidV7();
      },
      autoLogging: {
        ignore: (req: IncomingMessage) => /\/offline-sync\/(health|metrics)/.test(req.url ?? ''),
      },
      serializers: {
        req: (req: { id: unknown; method: unknown; url: unknown }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
      },
    },
  };
}
