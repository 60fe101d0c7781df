import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { v7 as uuidv7 } from 'uuid';

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
  '*.password',
  '*.secret',
  '*.privateKey',
  '*.SYNC_SIGNING_PRIVATE_KEY',
  '*.KAFKA_SASL_PASSWORD',
  '*.DATABASE_URL',
];

/**
 * Structured JSON logs (pino): one object per line with app, node and request id, so a fleet's
 * logs can be joined by message id, ship id or request id. Probes and scrapes are not logged.
 */
export function loggerParams(settings: LoggerSettings): Params {
  return {
    pinoHttp: {
      level: settings.level,
      base: { app: settings.app, node: settings.node },
      redact: { paths: REDACTED, censor: '[redacted]' },
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : uuidv7();
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
