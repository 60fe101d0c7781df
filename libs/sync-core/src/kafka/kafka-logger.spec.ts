import { Logger } from '@nestjs/common';
import { logLevel, type LogEntry } from 'kafkajs';
import { nestKafkaLogCreator, operatorLevel } from './kafka-logger';

function entry(level: logLevel, log: Record<string, unknown> & { message: string }): LogEntry {
  return { namespace: 'test', level, label: logLevel[level], log: { timestamp: 't', ...log } };
}

describe('operatorLevel', () => {
  it.each([
    [
      'a broker error answer to one request',
      entry(logLevel.ERROR, {
        message: 'Response Produce(key: 0, version: 7)',
        error: 'This server is not the leader for that topic-partition',
        correlationId: 96,
        size: 17612,
      }),
      logLevel.WARN,
    ],
    [
      'a retry about to be made',
      entry(logLevel.ERROR, {
        message: 'Failed to send messages: This server is not the leader for that topic-partition',
        retryCount: 0,
        retryTime: 50,
      }),
      logLevel.WARN,
    ],
    [
      'a group rebalance seen on a heartbeat',
      entry(logLevel.ERROR, {
        message: 'Response Heartbeat(key: 12, version: 3)',
        error: 'The group is rebalancing, so a rejoin is needed',
      }),
      logLevel.WARN,
    ],
    [
      'a crashed consumer',
      entry(logLevel.ERROR, { message: 'Crash: KafkaJSNumberOfRetriesExceeded', retryCount: 5 }),
      logLevel.ERROR,
    ],
    [
      'a connection error',
      entry(logLevel.ERROR, { message: 'Connection error: connect ECONNREFUSED' }),
      logLevel.ERROR,
    ],
    ['a warning', entry(logLevel.WARN, { message: 'anything' }), logLevel.WARN],
    ['an info line', entry(logLevel.INFO, { message: 'Starting' }), logLevel.INFO],
  ])('%s', (_name, given, expected) => {
    expect(operatorLevel(given)).toBe(expected);
  });
});

describe('nestKafkaLogCreator', () => {
  afterEach(() => jest.restoreAllMocks());

  it('writes retries as warnings and exhausted work as errors, with the details on the line', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = nestKafkaLogCreator('Kafka')(logLevel.INFO);
    log(
      entry(logLevel.ERROR, {
        message: 'Failed to send messages: x',
        retryCount: 1,
        retryTime: 75,
      }),
    );
    log(entry(logLevel.ERROR, { message: 'Crash: y' }));
    expect(warn.mock.calls).toEqual([
      ['Failed to send messages: x {"timestamp":"t","retryCount":1,"retryTime":75}'],
    ]);
    expect(error.mock.calls).toEqual([['Crash: y {"timestamp":"t"}']]);
  });
});
