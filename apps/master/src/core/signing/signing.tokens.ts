/** The public keys of every ship this master accepts messages from. */
export const SHIP_KEY_RING = Symbol('SHIP_KEY_RING');
/** The master's own Ed25519 private key, for signing what it publishes. */
export const MASTER_SIGNING_KEY = Symbol('MASTER_SIGNING_KEY');
