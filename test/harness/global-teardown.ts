/**
 * Jest globalTeardown of the "integration" project: stops exactly what global-setup.ts started
 * (nothing that came from KAFKA_BROKERS / DATABASE_URL). KEEP_TEST_INFRA=1 leaves it running.
 */
import {
  STATE_FILE_ENV,
  log,
  readState,
  removeState,
  stateFileOfThisRun,
  stopCommand,
  stopResource,
  writeState,
} from './infra';

export default async function globalTeardown(): Promise<void> {
  const stateFile = stateFileOfThisRun();
  const state = readState(stateFile);
  if (!state || state.ownerPid !== process.pid) return; // setup did not get far, or not ours
  const { kafka, postgres } = state;
  if (!kafka || !postgres || (kafka.source === 'env' && postgres.source === 'env')) {
    removeState(stateFile); // nothing was started by this run
    return;
  }

  if (process.env.KEEP_TEST_INFRA === '1') {
    writeState(stateFile, { ...state, kafka, postgres, kept: true });
    const stops = [stopCommand(kafka), stopCommand(postgres)].filter(Boolean);
    log(
      'KEEP_TEST_INFRA=1: left running. Reuse it with\n' +
        `  export KAFKA_BROKERS=${kafka.brokers} DATABASE_URL=${postgres.databaseUrl}\n` +
        `and stop it with\n  ${stops.join(' && ')} && rm ${stateFile}`,
    );
    return;
  }

  const t0 = Date.now();
  const results = await Promise.allSettled([stopResource(kafka), stopResource(postgres)]);
  const failures = results.flatMap((r) =>
    r.status === 'rejected'
      ? [r.reason instanceof Error ? r.reason.message : String(r.reason)]
      : [],
  );
  if (failures.length > 0) {
    // The state file stays: the next run's setup retries the stop (its owner pid is then dead).
    throw new Error(`stopping the test infrastructure failed:\n${failures.join('\n')}`);
  }
  removeState(stateFile);
  // In watch mode setup runs again in this process: it must not mistake these for given ones.
  if (kafka.source !== 'env') delete process.env.KAFKA_BROKERS;
  if (postgres.source !== 'env') delete process.env.DATABASE_URL;
  delete process.env[STATE_FILE_ENV];
  log(`stopped in ${Date.now() - t0} ms`);
}
