import 'reflect-metadata';
import { runMain } from '@offline-sync/sync-core';
import { ShipConfig } from './core/config/ship-config';
import { installGracefulShutdown } from './core/shutdown/graceful-shutdown';
import { createShipApp } from './ship.app';

runMain(async () => {
  const config = ShipConfig.fromEnv(process.env);
  const app = await createShipApp(config);
  installGracefulShutdown(app, { timeoutMs: config.shutdownTimeoutMs });
  await app.listen(config.http.port, config.http.host);
});
