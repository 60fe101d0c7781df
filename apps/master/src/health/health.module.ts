import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ConsumerLagHealthIndicator } from './consumer-lag.health-indicator';
import { HealthController } from './health.controller';
import { KafkaAdmin } from './kafka-admin';
import { KafkaHealthIndicator } from './kafka.health-indicator';
import { MigrationsHealthIndicator } from './migrations.health-indicator';
import { OutboxHealthIndicator } from './outbox.health-indicator';
import { ShipsSyncHealthIndicator } from './ships-sync.health-indicator';

@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [
    KafkaAdmin,
    MigrationsHealthIndicator,
    KafkaHealthIndicator,
    OutboxHealthIndicator,
    ConsumerLagHealthIndicator,
    ShipsSyncHealthIndicator,
  ],
})
export class HealthModule {}
