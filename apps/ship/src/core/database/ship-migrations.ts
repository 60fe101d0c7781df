/** Every migration of the ship database, in order. */
export const SHIP_MIGRATIONS: (new () => object)[] = [];
