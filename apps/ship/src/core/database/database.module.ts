import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ShipConfig } from '../config/ship-config';
import { ShipConnection } from './ship-connection';
import { ShipDatabase } from './ship-database.service';
import { migrateShipDatabase } from './ship-migrations';
import { StorageState } from './storage-state';
import { SyncMetaRepository } from './sync-meta.repository';
import { WalCheckpointService } from './wal-checkpoint.service';

@Global()
@Module({
  providers: [
    {
      // A ship has one instance on its own database: migrations simply run at start-up.
      provide: ShipConnection,
      inject: [ShipConfig],
      useFactory: async (config: ShipConfig): Promise<ShipConnection> => {
        const connection = ShipConnection.open(config.database);
        try {
          await migrateShipDatabase(connection);
        } catch (error) {
          await connection.close();
          throw error;
        }
        return connection;
      },
    },
    ShipDatabase,
    StorageState,
    SyncMetaRepository,
    WalCheckpointService,
  ],
  exports: [ShipConnection, ShipDatabase, StorageState, SyncMetaRepository],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(ShipConnection) private readonly connection: ShipConnection) {}

  /** After every other shutdown hook: the last units of work have run. */
  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
