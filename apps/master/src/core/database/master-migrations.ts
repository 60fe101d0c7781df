import { InitialSchema1732350000000 } from './migrations/1732350000000-initial-schema';

/** Every migration of the master database, in order. */
export const MASTER_MIGRATIONS = [InitialSchema1732350000000];
