import { Module, type DynamicModule } from '@nestjs/common';
import { MasterConfig } from './core/config/master-config';
import { MasterConfigModule } from './core/config/master-config.module';
import { DatabaseModule } from './core/database/database.module';
import { SigningModule } from './core/signing/signing.module';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { HealthModule } from './health/health.module';
import { IngestModule } from './ingest/ingest.module';

@Module({})
export class MasterAppModule {
  /** The whole master, built from an already validated configuration. */
  static forRoot(config: MasterConfig): DynamicModule {
    return {
      module: MasterAppModule,
      imports: [
        MasterConfigModule.forRoot(config),
        DatabaseModule,
        SigningModule,
        DeadLettersModule,
        IngestModule,
        HealthModule,
      ],
    };
  }
}
