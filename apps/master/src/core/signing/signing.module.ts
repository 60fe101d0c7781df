import { Global, Module } from '@nestjs/common';
import { KeyRing, loadPrivateKey, signingKeyWithoutKeyId } from '@offline-sync/sync-core';
import { MasterConfig } from '../config/master-config';
import { MASTER_SIGNING_KEY, SHIP_KEY_RING } from './signing.tokens';

@Global()
@Module({
  providers: [
    {
      provide: SHIP_KEY_RING,
      inject: [MasterConfig],
      useFactory: (config: MasterConfig) => new KeyRing(config.shipPublicKeys),
    },
    {
      provide: MASTER_SIGNING_KEY,
      inject: [MasterConfig],
      useFactory: (config: MasterConfig) => {
        const key = loadPrivateKey(config.signingPrivateKey);
        return config.sync.envelopeKeyIds ? key : signingKeyWithoutKeyId(key);
      },
    },
  ],
  exports: [SHIP_KEY_RING, MASTER_SIGNING_KEY],
})
export class SigningModule {}
