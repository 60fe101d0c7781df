import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MasterConfig } from '../config/master-config';
import { masterDataSourceOptions } from './master-data-source.options';
import { MigrationsRunner } from './migrations.runner';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [MasterConfig],
      useFactory: (config: MasterConfig) => ({
        ...masterDataSourceOptions(config.database.url, config.database.poolMax),
        migrationsRun: false,
        retryAttempts: 10,
        retryDelay: 3000,
      }),
    }),
  ],
  providers: [MigrationsRunner],
  exports: [MigrationsRunner],
})
export class DatabaseModule {}
