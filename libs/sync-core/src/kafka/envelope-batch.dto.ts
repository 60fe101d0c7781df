import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { IncomingKafkaBatch, IncomingKafkaMessage } from './incoming-kafka-message';

/**
 * One received envelope: only "is a JSON object" is checked here. Its fields, signature and
 * payload are checked by verifyEnvelope, which gives each rejected envelope its own reason
 * without failing the rest of the batch.
 */
export class EnvelopeMessageDto extends IncomingKafkaMessage<Record<string, unknown>> {
  @IsObject({ message: 'must be a JSON object (an envelope)' })
  override value!: Record<string, unknown>;
}

/**
 * A batch of envelopes from one partition (ship-updates and heartbeats on the master, master
 * updates and outcomes on a ship), validated by the global ValidationPipe, which the Kafka
 * transport inherits. Its fast check (envelope-batch.fast-check.ts) spares the pipe's deep copy.
 */
export class EnvelopeBatchDto extends IncomingKafkaBatch<EnvelopeMessageDto> {
  @ValidateNested({ each: true })
  @Type(() => EnvelopeMessageDto)
  override messages!: EnvelopeMessageDto[];
}
