import { Module, type DynamicModule } from '@nestjs/common';
import {
  APP_VERSION,
  AuthModule,
  ObservabilityModule,
  authSettingsFromEnv,
  WhoAmIModule,
} from '@offline-sync/sync-core';
import { ChecksumModule } from './checksum/checksum.module';
import { ConnectivityModule } from './connectivity/connectivity.module';
import { ContentModule } from './content/content.module';
import { ShipClockModule } from './core/clock/ship-clock.module';
import { ShipConfig } from './core/config/ship-config';
import { ShipConfigModule } from './core/config/ship-config.module';
import { DatabaseModule } from './core/database/database.module';
import { ShipKafkaModule } from './core/kafka/kafka.module';
import { ShutdownModule } from './core/shutdown/shutdown.module';
import { SigningModule } from './core/signing/signing.module';
import { ShipThreadModule } from './core/threads/ship-thread.module';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { DocumentsModule } from './documents/documents.module';
import { HealthModule } from './health/health.module';
import { HeartbeatModule } from './heartbeat/heartbeat.module';
import { InboxModule } from './inbox/inbox.module';
import { MetricsModule } from './metrics/metrics.module';
import { OutboxModule } from './outbox/outbox.module';
import { OutcomesModule } from './outcomes/outcomes.module';
import { RelayModule } from './relay/relay.module';
import { RetentionModule } from './retention/retention.module';
import { SyncStatusModule } from './sync-status/sync-status.module';

@Module({})
export class ShipAppModule {
  /** The whole ship edge, built from an already validated configuration. */
  static forRoot(config: ShipConfig): DynamicModule {
    return {
      module: ShipAppModule,
      imports: [
        ShipConfigModule.forRoot(config),
        ObservabilityModule.forRoot({
          app: 'ship',
          node: config.shipId,
          logLevel: config.logLevel,
          version: APP_VERSION,
        }),
        // Every route needs an API key with a fitting role unless marked @Public (live, ready).
        AuthModule.forRoot(authSettingsFromEnv(config.env)),
        ShutdownModule,
        ShipThreadModule,
        DatabaseModule,
        ShipClockModule,
        SigningModule,
        ShipKafkaModule,
        MetricsModule,
        ConnectivityModule,
        DeadLettersModule,
        DocumentsModule,
        OutboxModule,
        RelayModule,
        ContentModule,
        InboxModule,
        OutcomesModule,
        HeartbeatModule,
        SyncStatusModule,
        ChecksumModule,
        RetentionModule,
        HealthModule,
        WhoAmIModule,
      ],
    };
  }
}
