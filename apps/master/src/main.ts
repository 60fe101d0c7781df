import 'reflect-metadata';
import { installGracefulShutdown, runMain } from '@offline-sync/sync-core';
import { MasterConfig } from './core/config/master-config';
import { limitHeapGrowth } from './heap-growth';
import { createMaster } from './master.app';

limitHeapGrowth();

runMain(async () => {
  const config = MasterConfig.fromEnv(process.env);
  const { app, consumer } = await createMaster(config);
  installGracefulShutdown(app, {
    timeoutMs: config.shutdownTimeoutMs,
    stopConsumers: () => consumer.close(),
  });
  await app.listen(config.http.port, config.http.host);
});
