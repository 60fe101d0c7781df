import { KeyObject } from 'node:crypto';
import { isSenderId } from '../contracts/wire-patterns.constants';
import { BatchTrees } from './batch-trees';
import { keyIdOf } from './key-id';
import { KeyFormatError, loadPublicKey } from './signing-keys';
import { VerifiedRoots } from './verified-roots';
import { errorMessage } from '../errors/error-message';

export interface PublicKeyListOptions {
  /** Names the setting in error messages, e.g. 'SYNC_SHIP_PUBLIC_KEYS'. */
  source?: string;
  /** Sender for entries given as a bare key (e.g. 'master' for a ship's single master key). */
  defaultSender?: string;
}

/** `<sender>=<key>`; a bare SPKI key never matches because its base64 starts in upper case. */
const ENTRY_PATTERN = /^([a-z0-9][a-z0-9._-]{0,63})=([\s\S]+)$/;

function preview(entry: string): string {
  return JSON.stringify(entry.length > 24 ? `${entry.slice(0, 24)}…` : entry);
}

function splitEntries(text: string): string[] {
  // PEM has spaces in its armour lines, so only commas separate entries when PEM is used.
  const separator = text.includes('-----BEGIN') ? /,/ : /[\s,]+/;
  return text
    .split(separator)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function jsonEntries(text: string, source: string): Array<[string, string]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new KeyFormatError(`${source}: not valid JSON (${errorMessage(error)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new KeyFormatError(`${source}: JSON must be an object of sender → key`);
  }
  const out: Array<[string, string]> = [];
  for (const [sender, value] of Object.entries(parsed)) {
    const keys: unknown[] = Array.isArray(value) ? value : [value];
    for (const key of keys) {
      if (typeof key !== 'string') {
        throw new KeyFormatError(
          `${source}: key of '${sender}' must be a string (or list of strings)`,
        );
      }
      out.push([sender, key]);
    }
  }
  return out;
}

/**
 * Parses a public key list: `ship-a=<base64 SPKI>,ship-b=<base64 SPKI>` (commas or whitespace
 * between entries, PEM allowed with commas only) or a JSON object `{"ship-a": "<key>" | ["<key>", …]}`.
 * A sender may appear more than once, so a key can be rotated without a window where messages
 * signed with the old one fail. Throws KeyFormatError naming the setting and the entry.
 */
export function parseKeyRingEntries(
  text: string,
  options: PublicKeyListOptions = {},
): Array<[string, KeyObject]> {
  const source = options.source ?? 'public key list';
  const trimmed = text.trim();
  let raw: Array<[string, string]>;
  if (trimmed.startsWith('{')) {
    raw = jsonEntries(trimmed, source);
  } else {
    raw = splitEntries(trimmed).map((entry, index): [string, string] => {
      const match = ENTRY_PATTERN.exec(entry);
      if (match) {
        return [match[1], match[2]];
      }
      if (options.defaultSender !== undefined) {
        return [options.defaultSender, entry];
      }
      throw new KeyFormatError(
        `${source}: entry ${index + 1} (${preview(entry)}) must be <sender>=<base64 SPKI public key>`,
      );
    });
  }
  return raw.map(([sender, key]): [string, KeyObject] => {
    if (!isSenderId(sender)) {
      throw new KeyFormatError(`${source}: '${sender}' is not 'master' or a valid ship id`);
    }
    try {
      return [sender, loadPublicKey(key)];
    } catch (error) {
      throw new KeyFormatError(`${source}: key of '${sender}': ${errorMessage(error)}`);
    }
  });
}

export type KeyRingSource =
  | string
  | Iterable<readonly [string, KeyObject | string]>
  | Readonly<Record<string, string | readonly string[]>>;

/**
 * The public keys a node trusts, by sender: on the master every ship's key, on a ship the master's.
 * Only senders in the ring can get a message accepted.
 */
export class KeyRing {
  private readonly keys = new Map<string, KeyObject[]>();
  /** `<sender> <keyId>` → key, for envelopes that name their key. */
  private readonly byId = new Map<string, KeyObject>();
  /** keyId → the sender it was first configured for. */
  private readonly ownerById = new Map<string, string>();
  /** Batch roots already checked against these keys (keys are only ever added, never dropped). */
  readonly verifiedRoots = new VerifiedRoots();
  /** The trees of the batches being verified, so that a batch's leaves share their paths. */
  readonly batchTrees = new BatchTrees();

  constructor(entries: Iterable<readonly [string, KeyObject | string]> = []) {
    for (const [sender, key] of entries) {
      this.add(sender, key);
    }
  }

  /**
   * From a public key list setting (a string, see parseKeyRingEntries), sender/key pairs, or an
   * object of sender → key(s). Keys may be KeyObjects, PEM or base64 SPKI DER.
   */
  static fromEntries(source: KeyRingSource, options: PublicKeyListOptions = {}): KeyRing {
    if (typeof source === 'string') {
      return new KeyRing(parseKeyRingEntries(source, options));
    }
    if (Symbol.iterator in source) {
      return new KeyRing(source as Iterable<readonly [string, KeyObject | string]>);
    }
    const ring = new KeyRing();
    for (const [sender, keys] of Object.entries(source as Record<string, string | string[]>)) {
      for (const key of Array.isArray(keys) ? keys : [keys]) {
        ring.add(sender, key);
      }
    }
    return ring;
  }

  /** Adds a key (KeyObject, PEM or base64 SPKI DER) for a sender; earlier keys stay valid. */
  add(sender: string, key: KeyObject | string): this {
    if (!isSenderId(sender)) {
      throw new KeyFormatError(`'${sender}' is not 'master' or a valid ship id`);
    }
    const publicKey = typeof key === 'string' ? loadPublicKey(key) : key;
    if (publicKey.type !== 'public' || publicKey.asymmetricKeyType !== 'ed25519') {
      throw new KeyFormatError(`key of '${sender}' must be an Ed25519 public key`);
    }
    const existing = this.keys.get(sender) ?? [];
    if (!existing.some((known) => known.equals(publicKey))) {
      this.keys.set(sender, [...existing, publicKey]);
      const keyId = keyIdOf(publicKey);
      this.byId.set(`${sender} ${keyId}`, publicKey);
      if (!this.ownerById.has(keyId)) this.ownerById.set(keyId, sender);
    }
    return this;
  }

  has(sender: string): boolean {
    return this.keys.has(sender);
  }

  /** Every key accepted for the sender (several while a key is being rotated). */
  keysFor(sender: string): readonly KeyObject[] {
    return this.keys.get(sender) ?? [];
  }

  /** The sender's key with this id (keyIdOf), if it is in the ring. */
  keyById(sender: string, keyId: string): KeyObject | undefined {
    return this.byId.get(`${sender} ${keyId}`);
  }

  /** Who this key id belongs to here, if anyone (an envelope naming another's key is forged). */
  senderOfKeyId(keyId: string): string | undefined {
    return this.ownerById.get(keyId);
  }

  /** The ids of the sender's keys, in the order they were added. */
  keyIdsFor(sender: string): string[] {
    return this.keysFor(sender).map((key) => keyIdOf(key));
  }

  get senders(): string[] {
    return [...this.keys.keys()].sort();
  }

  get size(): number {
    return this.keys.size;
  }
}
