import 'reflect-metadata';
import { runMain } from '@offline-sync/sync-core';
import { MasterConfig } from './core/config/master-config';
import { installGracefulShutdown } from './core/shutdown/graceful-shutdown';
import { createMaster } from './master.app';

runMain(async () => {
  const config = MasterConfig.fromEnv(process.env);
  const { app, consumer } = await createMaster(config);
  installGracefulShutdown(app, { consumer, timeoutMs: config.shutdownTimeoutMs });
  await app.listen(config.http.port, config.http.host);
});
