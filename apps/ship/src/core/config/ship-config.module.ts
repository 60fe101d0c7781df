import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ShipConfig } from './ship-config';

/** Makes the validated configuration injectable everywhere in the ship. */
@Global()
@Module({})
export class ShipConfigModule {
  static forRoot(config: ShipConfig): DynamicModule {
    return {
      module: ShipConfigModule,
      providers: [{ provide: ShipConfig, useValue: config }],
      exports: [ShipConfig],
    };
  }
}
