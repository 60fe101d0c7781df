import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ShipConfig } from '../config/ship-config';
import { shipDataSourceOptions } from './ship-data-source.options';
import { ShipDatabase } from './ship-database.service';
import { StorageState } from './storage-state';
import { SyncMetaService } from './sync-meta.service';
import { WalCheckpointService } from './wal-checkpoint.service';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ShipConfig],
      useFactory: (config: ShipConfig) => ({
        ...shipDataSourceOptions(config.database),
        // A ship has one instance on its own database: migrations simply run at start-up.
        migrationsRun: true,
        migrationsTransactionMode: 'each',
      }),
    }),
  ],
  providers: [ShipDatabase, StorageState, SyncMetaService, WalCheckpointService],
  exports: [ShipDatabase, StorageState, SyncMetaService],
})
export class DatabaseModule {}
