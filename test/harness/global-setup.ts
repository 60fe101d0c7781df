/**
 * Jest globalSetup of the "integration" project: makes a real Kafka broker and a real PostgreSQL
 * available as KAFKA_BROKERS / DATABASE_URL (inherited by the test workers). See ./infra.ts for
 * where they come from; what was started is recorded in .run/test-infra.json for the teardown.
 */
import * as path from 'node:path';
import {
  REPO_ROOT,
  STATE_FILE_ENV,
  claimStateFile,
  describeResource,
  log,
  removeState,
  startInfra,
  writeState,
} from './infra';

export default async function globalSetup(): Promise<void> {
  const t0 = Date.now();
  const stateFile = await claimStateFile();
  let started: Awaited<ReturnType<typeof startInfra>>;
  try {
    started = await startInfra(); // stops what it started itself when it fails
  } catch (error) {
    removeState(stateFile);
    throw error;
  }
  const { kafka, postgres } = started;
  writeState(stateFile, {
    ownerPid: process.pid,
    createdAt: new Date().toISOString(),
    kafka,
    postgres,
  });
  process.env[STATE_FILE_ENV] = stateFile;
  process.env.KAFKA_BROKERS = kafka.brokers;
  process.env.DATABASE_URL = postgres.databaseUrl;
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  log(
    `${describeResource(`kafka ${kafka.brokers}`, kafka)}, ` +
      `${describeResource(`postgres ${new URL(postgres.databaseUrl).host}`, postgres)}; ` +
      `ready in ${Date.now() - t0} ms (state: ${path.relative(REPO_ROOT, stateFile)})`,
  );
}
