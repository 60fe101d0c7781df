export * from './fleet-keys';
export * from './fleet-sim';
export * from './heartbeat-schedule';
export * from './ship-reader';
export * from './sim-ship';
