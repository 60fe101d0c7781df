import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MasterConfig } from '../config/master-config';
import { runMigrations } from './run-migrations';

/** Brings the schema up to date before anything else touches the database. */
@Injectable()
export class MigrationsRunner implements OnModuleInit {
  private readonly logger = new Logger(MigrationsRunner.name);
  private done = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: MasterConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.database.migrateOnStart) {
      const applied = await runMigrations(this.dataSource);
      if (applied.length > 0) this.logger.log(`Applied migrations: ${applied.join(', ')}`);
    }
    this.done = !(await this.dataSource.showMigrations());
    if (!this.done) this.logger.warn('Database schema is behind: run the migration step');
  }

  /** For readiness: false while migrations are still pending. */
  isUpToDate(): boolean {
    return this.done;
  }
}
