import { Global, Module, type DynamicModule } from '@nestjs/common';
import { MasterConfig } from './master-config';

/** Makes the validated configuration injectable everywhere in the master. */
@Global()
@Module({})
export class MasterConfigModule {
  static forRoot(config: MasterConfig): DynamicModule {
    return {
      module: MasterConfigModule,
      providers: [{ provide: MasterConfig, useValue: config }],
      exports: [MasterConfig],
    };
  }
}
