import {
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { BackgroundThread } from '@offline-sync/sync-core';
import { ShipConfig } from '../config/ship-config';
import { ShipConnection } from './ship-connection';
import { DEFAULT_WAL_CHECKPOINTS, WalCheckpointer } from './wal-checkpointer';

/** On a SQLite file, checkpoints run on the background thread instead of inside the app's commits. */
@Injectable()
export class WalCheckpointService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private checkpointer: WalCheckpointer | null = null;

  constructor(
    private readonly config: ShipConfig,
    private readonly connection: ShipConnection,
    private readonly thread: BackgroundThread,
  ) {}

  onApplicationBootstrap(): void {
    const { database } = this.config;
    if (database.client !== 'sqlite' || database.filename === ':memory:') return;
    this.checkpointer = new WalCheckpointer(
      { filename: database.filename, ...DEFAULT_WAL_CHECKPOINTS },
      this.thread,
    );
    this.checkpointer.start();
    this.connection.sqlite?.pragma('wal_autocheckpoint = 0');
  }

  async beforeApplicationShutdown(): Promise<void> {
    const checkpointer = this.checkpointer;
    this.checkpointer = null;
    if (!checkpointer) return;
    // The app's own connection takes over again until it closes (closing checkpoints the rest).
    const sqlite = this.connection.sqlite;
    if (sqlite?.open) {
      try {
        sqlite.pragma('wal_autocheckpoint = 1000');
      } catch {
        // Closing checkpoints the rest anyway.
      }
    }
    await checkpointer.stop();
  }
}
