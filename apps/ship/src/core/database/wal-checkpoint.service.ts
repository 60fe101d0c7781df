import {
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { BackgroundThread } from '@offline-sync/sync-core';
import { DataSource } from 'typeorm';
import { ShipConfig } from '../config/ship-config';
import { DEFAULT_WAL_CHECKPOINTS, WalCheckpointer } from './wal-checkpointer';

/** On a SQLite file, checkpoints run on the background thread instead of inside the app's commits. */
@Injectable()
export class WalCheckpointService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private checkpointer: WalCheckpointer | null = null;

  constructor(
    private readonly config: ShipConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly thread: BackgroundThread,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { database } = this.config;
    if (database.client !== 'sqlite' || database.filename === ':memory:') return;
    this.checkpointer = new WalCheckpointer(
      { filename: database.filename, ...DEFAULT_WAL_CHECKPOINTS },
      this.thread,
    );
    this.checkpointer.start();
    await this.dataSource.query('PRAGMA wal_autocheckpoint = 0');
  }

  async beforeApplicationShutdown(): Promise<void> {
    const checkpointer = this.checkpointer;
    this.checkpointer = null;
    if (!checkpointer) return;
    // The app's own connection takes over again until it closes (closing checkpoints the rest).
    if (this.dataSource.isInitialized) {
      await this.dataSource.query('PRAGMA wal_autocheckpoint = 1000').catch(() => undefined);
    }
    await checkpointer.stop();
  }
}
