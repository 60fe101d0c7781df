import { KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { isMessageTooLargeError } from './message-too-large';

/** The error kafkajs makes of a broker's error code (its typings take only a message). */
const protocolError = (type: string, code: number) =>
  new KafkaJSProtocolError(
    Object.assign(new Error(`${type} from the broker`), { type, code, retriable: false }),
  );

describe('isMessageTooLargeError', () => {
  it.each([
    ['the broker refusing a message', protocolError('MESSAGE_TOO_LARGE', 10), true],
    ['the broker refusing a record list', protocolError('RECORD_LIST_TOO_LARGE', 18), true],
    [
      'a refusal under retries',
      new KafkaJSNumberOfRetriesExceeded(protocolError('MESSAGE_TOO_LARGE', 10), {
        retryCount: 5,
        retryTime: 100,
      }),
      true,
    ],
    ['another protocol error', protocolError('UNKNOWN_TOPIC_OR_PARTITION', 3), false],
    ['a plain error', new Error('connection refused'), false],
    ['not an error', { type: 'MESSAGE_TOO_LARGE' }, false],
    ['nothing', undefined, false],
  ])('%s', (_name, error, expected) => {
    expect(isMessageTooLargeError(error)).toBe(expected);
  });
});
