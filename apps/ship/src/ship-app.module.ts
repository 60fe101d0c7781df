import { Module, type DynamicModule } from '@nestjs/common';
import { ShipConfig } from './core/config/ship-config';
import { ShipConfigModule } from './core/config/ship-config.module';
import { DatabaseModule } from './core/database/database.module';
import { HealthModule } from './health/health.module';

@Module({})
export class ShipAppModule {
  /** The whole ship edge, built from an already validated configuration. */
  static forRoot(config: ShipConfig): DynamicModule {
    return {
      module: ShipAppModule,
      imports: [ShipConfigModule.forRoot(config), DatabaseModule, HealthModule],
    };
  }
}
