import { Global, Module } from '@nestjs/common';
import { ConnectivityService } from './connectivity.service';

@Global()
@Module({
  providers: [ConnectivityService],
  exports: [ConnectivityService],
})
export class ConnectivityModule {}
