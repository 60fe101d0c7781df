import { Global, Module } from '@nestjs/common';
import { ShipPublisher } from './ship-publisher';

@Global()
@Module({
  providers: [ShipPublisher],
  exports: [ShipPublisher],
})
export class ShipKafkaModule {}
