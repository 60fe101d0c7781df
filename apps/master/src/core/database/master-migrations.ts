import { InitialSchema1732350000000 } from './migrations/1732350000000-initial-schema';
import { SyncSchema1732400000000 } from './migrations/1732400000000-sync-schema';
import { OutboxParked1732480000000 } from './migrations/1732480000000-outbox-parked';

/** Every migration of the master database, in order. */
export const MASTER_MIGRATIONS = [
  InitialSchema1732350000000,
  SyncSchema1732400000000,
  OutboxParked1732480000000,
];
