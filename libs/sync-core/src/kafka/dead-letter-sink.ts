/** A message the transport could not deliver to its handler, kept for operators and retries. */
export interface DeadLetterEntry {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** The message value exactly as received (UTF-8 text, or base64 when it is not valid UTF-8). */
  value: string;
  valueEncoding: 'utf8' | 'base64';
  headers: Record<string, string>;
  reason: string;
  detail: string;
  /** Sender named by the message, when it could be read. */
  sender?: string;
  messageId?: string;
}

/** Where the transport stores messages it gives up on. Implemented by each app's dead-letter store. */
export interface DeadLetterSink {
  store(entry: DeadLetterEntry): Promise<void>;
}

export const DEAD_LETTER_SINK = Symbol('DEAD_LETTER_SINK');
