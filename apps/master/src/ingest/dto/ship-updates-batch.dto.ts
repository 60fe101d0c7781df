import { EnvelopeDto, IncomingKafkaBatch, IncomingKafkaMessage } from '@offline-sync/sync-core';
import { Type } from 'class-transformer';
import { ValidateNested } from 'class-validator';

/** One message of the ship-updates topic: an envelope as decoded from JSON. */
export class ShipUpdateMessageDto extends IncomingKafkaMessage<EnvelopeDto> {
  @ValidateNested()
  @Type(() => EnvelopeDto)
  override value!: EnvelopeDto;
}

/** A batch from one partition of ship-updates, validated by the global ValidationPipe. */
export class ShipUpdatesBatchDto extends IncomingKafkaBatch<ShipUpdateMessageDto> {
  @ValidateNested({ each: true })
  @Type(() => ShipUpdateMessageDto)
  override messages!: ShipUpdateMessageDto[];
}
