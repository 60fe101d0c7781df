/** Every entity of the ship database. */
export const SHIP_ENTITIES: (new () => object)[] = [];
