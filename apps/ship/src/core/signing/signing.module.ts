import { Global, Module } from '@nestjs/common';
import { KeyRing, loadPrivateKey } from '@offline-sync/sync-core';
import { ShipConfig } from '../config/ship-config';
import { MASTER_KEY_RING, SHIP_SIGNING_KEY } from './signing.tokens';

@Global()
@Module({
  providers: [
    {
      provide: SHIP_SIGNING_KEY,
      inject: [ShipConfig],
      useFactory: (config: ShipConfig) => loadPrivateKey(config.signingPrivateKey),
    },
    {
      provide: MASTER_KEY_RING,
      inject: [ShipConfig],
      useFactory: (config: ShipConfig) =>
        KeyRing.fromEntries(config.masterPublicKey, {
          defaultSender: 'master',
          source: 'SYNC_MASTER_PUBLIC_KEY',
        }),
    },
  ],
  exports: [SHIP_SIGNING_KEY, MASTER_KEY_RING],
})
export class SigningModule {}
