import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ShipClock } from '../clock/ship-clock';
import { ShipConfig } from './ship-config';

/** Makes the validated configuration, and the clock it sets, injectable everywhere in the ship. */
@Global()
@Module({})
export class ShipConfigModule {
  static forRoot(config: ShipConfig): DynamicModule {
    return {
      module: ShipConfigModule,
      providers: [{ provide: ShipConfig, useValue: config }, ShipClock],
      exports: [ShipConfig, ShipClock],
    };
  }
}
