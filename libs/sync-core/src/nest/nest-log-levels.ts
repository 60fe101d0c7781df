import type { LogLevel } from '@nestjs/common';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
const FROM_CONFIG: Record<string, LogLevel> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  info: 'log',
  debug: 'debug',
  trace: 'verbose',
};

/** Nest's log levels at and above a LOG_LEVEL value (fatal, error, warn, info, debug, trace). */
export function nestLogLevels(level: string): LogLevel[] {
  const max = ORDER.indexOf(FROM_CONFIG[level] ?? 'log');
  return ORDER.slice(0, max + 1);
}
