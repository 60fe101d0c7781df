/**
 * One Kafka message as the batch transport hands it to a handler; `value` is the decoded JSON. A
 * handler's parameter type for a whole batch is validated by the global pipe (EnvelopeBatchDto:
 * envelope-batch.dto.ts).
 */
export interface IncomingKafkaMessage<T = unknown> {
  offset: string;
  key: string | null;
  timestamp: string;
  headers: Record<string, string>;
  /** Size of the raw value in bytes. */
  size: number;
  value: T;
  /** The raw value, kept so a rejected message can be dead-lettered byte for byte. */
  raw: string;
}

/** A batch of messages from one partition of one topic, in offset order. */
export interface IncomingKafkaBatch<M extends IncomingKafkaMessage = IncomingKafkaMessage> {
  topic: string;
  partition: number;
  messages: M[];
}
