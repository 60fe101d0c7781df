import 'reflect-metadata';
import { installGracefulShutdown, runMain } from '@offline-sync/sync-core';
import { ShipConfig } from './core/config/ship-config';
import { ShutdownState } from './core/shutdown/shutdown-state';
import { ShipInboxServer } from './inbox/ship-inbox.server';
import { createShipApp } from './ship.app';

runMain(async () => {
  const config = ShipConfig.fromEnv(process.env);
  const app = await createShipApp(config);
  installGracefulShutdown(app, {
    timeoutMs: config.shutdownTimeoutMs,
    // Readiness goes red and new requests get 503 while the work in hand finishes.
    stopTakingWork: () => app.get(ShutdownState).beginDraining(),
    stopConsumers: () => app.get(ShipInboxServer).close(),
  });
  await app.listen(config.http.port, config.http.host);
});
