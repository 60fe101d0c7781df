import { IncomingKafkaBatch, IncomingKafkaMessage } from '@offline-sync/sync-core';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';

/**
 * One received message: only "is an object" is checked here. The envelope's fields, signature
 * and payload are checked by verifyEnvelope, which gives each rejected envelope its own reason
 * without failing the rest of the batch.
 */
export class EnvelopeMessageDto extends IncomingKafkaMessage<Record<string, unknown>> {
  @IsObject({ message: 'must be a JSON object (an envelope)' })
  override value!: Record<string, unknown>;
}

/** A batch from one partition, validated by the global ValidationPipe (inherited by the transport). */
export class EnvelopeBatchDto extends IncomingKafkaBatch<EnvelopeMessageDto> {
  @ValidateNested({ each: true })
  @Type(() => EnvelopeMessageDto)
  override messages!: EnvelopeMessageDto[];
}

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
