import { Logger } from '@nestjs/common';
import { logLevel, type LogEntry, type logCreator } from 'kafkajs';

/** Routes kafkajs logs through the app's logger, so they share its format and level. */
export function nestKafkaLogCreator(context: string): logCreator {
  const logger = new Logger(context);
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...extra } = log;
      const line = Object.keys(extra).length > 0 ? `${message} ${JSON.stringify(extra)}` : message;
      switch (level) {
        case logLevel.ERROR:
          logger.error(line);
          break;
        case logLevel.WARN:
          logger.warn(line);
          break;
        case logLevel.INFO:
          logger.log(line);
          break;
        default:
          logger.debug(line);
      }
    };
}
