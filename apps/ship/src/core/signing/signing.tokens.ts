/** This ship's Ed25519 private key, for signing what it sends. */
export const SHIP_SIGNING_KEY = Symbol('SHIP_SIGNING_KEY');
/** The master's public key(s): only what they signed is applied here. */
export const MASTER_KEY_RING = Symbol('MASTER_KEY_RING');
