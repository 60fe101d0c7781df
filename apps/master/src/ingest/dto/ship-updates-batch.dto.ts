import { IncomingKafkaBatch, IncomingKafkaMessage } from '@offline-sync/sync-core';
import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';

/**
 * One message of the ship-updates topic. The envelope is checked here only for being an object:
 * its fields, signature and payload are checked by `verifyEnvelope`, which gives each rejected
 * envelope its own precise reason without failing the rest of the batch.
 */
export class ShipUpdateMessageDto extends IncomingKafkaMessage<Record<string, unknown>> {
  @IsObject({ message: 'must be a JSON object (an envelope)' })
  override value!: Record<string, unknown>;
}

/** A batch from one partition of ship-updates, validated by the global ValidationPipe. */
export class ShipUpdatesBatchDto extends IncomingKafkaBatch<ShipUpdateMessageDto> {
  @ValidateNested({ each: true })
  @Type(() => ShipUpdateMessageDto)
  override messages!: ShipUpdateMessageDto[];
}
