import type { EnvelopeMessageDto } from '@offline-sync/sync-core';

/** A received message a handler refuses, with why: it becomes a dead letter. */
export interface RejectedMessage {
  message: EnvelopeMessageDto;
  reason: string;
  detail: string;
}

/** The dead-letter fields of a received message. */
export function sourceOf(message: EnvelopeMessageDto, topic: string, partition: number) {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key,
    value: message.raw,
    valueEncoding: 'utf8' as const,
    headers: message.headers,
    sender: typeof message.value.sender === 'string' ? message.value.sender : undefined,
    messageId: typeof message.value.messageId === 'string' ? message.value.messageId : undefined,
  };
}
