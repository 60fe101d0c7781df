import { InitialSchema1732350000000 } from './migrations/1732350000000-initial-schema';
import { SyncSchema1732400000000 } from './migrations/1732400000000-sync-schema';
import { OutboxParked1732480000000 } from './migrations/1732480000000-outbox-parked';
import { Retention1732700000000 } from './migrations/1732700000000-retention';
import { ShipLifeGuarantees1733000000000 } from './migrations/1733000000000-ship-life-guarantees';
import { ConflictRestorations1733200000000 } from './migrations/1733200000000-conflict-restorations';
import { FleetRegistry1733300000000 } from './migrations/1733300000000-fleet-registry';
import { ShipClockLead1733400000000 } from './migrations/1733400000000-ship-clock-lead';

/** Every migration of the master database, in order. */
export const MASTER_MIGRATIONS = [
  InitialSchema1732350000000,
  SyncSchema1732400000000,
  OutboxParked1732480000000,
  Retention1732700000000,
  ShipLifeGuarantees1733000000000,
  ConflictRestorations1733200000000,
  FleetRegistry1733300000000,
  ShipClockLead1733400000000,
];
