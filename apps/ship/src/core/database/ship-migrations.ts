import { ShipSchema1732400000000 } from './migrations/1732400000000-ship-schema';
import { OutcomeReasks1733000000000 } from './migrations/1733000000000-outcome-reasks';

/** Every migration of the ship database, in order. */
export const SHIP_MIGRATIONS: (new () => object)[] = [
  ShipSchema1732400000000,
  OutcomeReasks1733000000000,
];
