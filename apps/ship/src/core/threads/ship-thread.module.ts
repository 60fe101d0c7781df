import { Global, Logger, Module } from '@nestjs/common';
import { BackgroundThread } from '@offline-sync/sync-core';

/**
 * The ship's one background thread: its Kafka producer (ShipPublisher) and its WAL checkpoints
 * (WalCheckpointService) run there, off the event loop that SQLite holds, in one V8 isolate
 * rather than one each (about 10 MB less on a small machine).
 */
@Global()
@Module({
  providers: [
    {
      provide: BackgroundThread,
      useFactory: (): BackgroundThread => {
        const logger = new Logger('BackgroundThread');
        return new BackgroundThread((error) =>
          logger.error(`Background thread died: ${error.message}`),
        );
      },
    },
  ],
  exports: [BackgroundThread],
})
export class ShipThreadModule {}
