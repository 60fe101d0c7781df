import { IncomingKafkaBatch, IncomingKafkaMessage } from '@offline-sync/sync-core';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';

/** One message of the heartbeats topic; the envelope itself is checked by verifyEnvelope. */
export class HeartbeatMessageDto extends IncomingKafkaMessage<Record<string, unknown>> {
  @IsObject({ message: 'must be a JSON object (an envelope)' })
  override value!: Record<string, unknown>;
}

export class HeartbeatsBatchDto extends IncomingKafkaBatch<HeartbeatMessageDto> {
  @ValidateNested({ each: true })
  @Type(() => HeartbeatMessageDto)
  override messages!: HeartbeatMessageDto[];
}
