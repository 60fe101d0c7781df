import { Module, type DynamicModule } from '@nestjs/common';
import {
  APP_VERSION,
  AuthModule,
  ObservabilityModule,
  WhoAmIModule,
  authSettingsFromEnv,
} from '@offline-sync/sync-core';
import { ConflictsModule } from './conflicts/conflicts.module';
import { ConsoleModule } from './console/console.module';
import { ContentModule } from './content/content.module';
import { MasterConfig } from './core/config/master-config';
import { MasterConfigModule } from './core/config/master-config.module';
import { DatabaseModule } from './core/database/database.module';
import { SigningModule } from './core/signing/signing.module';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { DocumentsModule } from './documents/documents.module';
import { ChecksumModule } from './checksum/checksum.module';
import { HealthModule } from './health/health.module';
import { IngestModule } from './ingest/ingest.module';
import { MASTER_ENTITIES } from './master-entities';
import { MetricsModule } from './metrics/metrics.module';
import { OutboxModule } from './outbox/outbox.module';
import { RegistryModule } from './registry/registry.module';
import { RetentionModule } from './retention/retention.module';
import { RevisionsModule } from './revisions/revisions.module';
import { StatusModule } from './status/status.module';

@Module({})
export class MasterAppModule {
  /** The whole master, built from an already validated configuration. */
  static forRoot(config: MasterConfig): DynamicModule {
    return {
      module: MasterAppModule,
      imports: [
        MasterConfigModule.forRoot(config),
        ObservabilityModule.forRoot({
          app: 'master',
          node: 'master',
          logLevel: config.logLevel,
          version: APP_VERSION,
        }),
        // Every route needs an API key with a fitting role unless marked @Public (live, ready).
        AuthModule.forRoot(authSettingsFromEnv(config.env)),
        DatabaseModule.forRoot(MASTER_ENTITIES),
        SigningModule,
        MetricsModule,
        DeadLettersModule,
        OutboxModule,
        RevisionsModule,
        DocumentsModule,
        ConflictsModule,
        IngestModule,
        RegistryModule,
        ContentModule,
        StatusModule,
        ChecksumModule,
        RetentionModule,
        HealthModule,
        ConsoleModule.forRoot(config),
        WhoAmIModule,
      ],
    };
  }
}
