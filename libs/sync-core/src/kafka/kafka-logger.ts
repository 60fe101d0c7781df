import { Logger } from '@nestjs/common';
import { logLevel, type LogEntry, type logCreator } from 'kafkajs';

/**
 * The level an operator should see a kafkajs entry at. kafkajs logs at ERROR both a broker's error
 * answer to one request and each retry it is about to make; neither is a failure yet: a retry
 * that runs out throws to the caller, which logs the outcome at the level it deserves.
 */
export function operatorLevel({ level, log }: Pick<LogEntry, 'level' | 'log'>): logLevel {
  if (level !== logLevel.ERROR) return level;
  const retrying = typeof log.retryCount === 'number' && typeof log.retryTime === 'number';
  const brokerAnswer = log.message.startsWith('Response ') && typeof log.error === 'string';
  return retrying || brokerAnswer ? logLevel.WARN : logLevel.ERROR;
}

/** Routes kafkajs logs through the app's logger, so they share its format and level. */
export function nestKafkaLogCreator(context: string): logCreator {
  const logger = new Logger(context);
  return () => (entry: LogEntry) => {
    const { message, ...extra } = entry.log;
    const line = Object.keys(extra).length > 0 ? `${message} ${JSON.stringify(extra)}` : message;
    switch (operatorLevel(entry)) {
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
