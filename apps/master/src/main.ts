import 'reflect-metadata';
import { runMain } from '@offline-sync/sync-core';
import { MasterConfig } from './core/config/master-config';
import { createMasterApp } from './master.app';

runMain(async () => {
  const config = MasterConfig.fromEnv(process.env);
  const app = await createMasterApp(config);
  await app.listen(config.http.port, config.http.host);
});
