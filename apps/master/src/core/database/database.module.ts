import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MasterConfig } from '../config/master-config';
import { masterDataSourceOptions, type MasterEntities } from './master-data-source.options';
import { MigrationsRunner } from './migrations.runner';

@Global()
@Module({})
export class DatabaseModule {
  /** The master's database, mapping the entities the app lists (core knows no capability). */
  static forRoot(entities: MasterEntities): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [MasterConfig],
          useFactory: (config: MasterConfig) => ({
            ...masterDataSourceOptions(config.database.url, entities, config.database.poolMax),
            migrationsRun: false,
            retryAttempts: 10,
            retryDelay: 3000,
          }),
        }),
      ],
      providers: [MigrationsRunner],
      exports: [MigrationsRunner],
    };
  }
}
