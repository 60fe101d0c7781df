import { verify, type KeyObject } from 'node:crypto';
import {
  BATCH_SIGNED_SCHEMA_VERSION,
  isSupportedSchemaVersion,
  SUPPORTED_SCHEMA_VERSIONS,
} from '../contracts/schema-version.constants';
import { isPlainObject } from '../contracts/plain-object.util';
import { MessageKind } from '../contracts/message-kind.enum';
import { payloadSchemaFor } from '../contracts/payload-schema-for';
import { validateContract } from '../contracts/validate-contract';
import { batchRootMessage, leafHash, MAX_BATCH_PROOF_SIZE, walkProof } from './batch-proof';
import { canonicalEnvelopeBytes } from './envelope-canonical';
import { decodeEnvelope } from './envelope-codec';
import {
  EnvelopeRejection,
  EnvelopeRejectionReason,
  rejectEnvelope,
} from './envelope-rejection-reason';
import { SIGNATURE_PATTERN, UnsignedEnvelopeDto } from './envelope.dto';
import { SignedEnvelope } from './envelope.types';
import { KeyRing } from './key-ring';
import { KIND_SENDER_ROLE, senderRole } from './sender-roles';
import { errorMessage } from '../errors/error-message';

export type VerifiedEnvelope = { ok: true; envelope: SignedEnvelope } | EnvelopeRejection;

const R = EnvelopeRejectionReason;

/** The payload's own ship id must be the sender's where the payload speaks for the sender. */
function payloadSenderMismatch(kind: MessageKind, sender: string, payload: object): string | null {
  if (kind === MessageKind.Heartbeat) {
    const shipId = (payload as { shipId?: unknown }).shipId;
    return shipId === sender ? null : `heartbeat of '${String(shipId)}' sent by '${sender}'`;
  }
  return null;
}

/**
 * Checks a received envelope before anything is applied, in this order:
 * malformed (not an object, schemaVersion not an integer) → unsupported-schema-version →
 * malformed (this version's envelope fields, a batch proof included) → unsigned → unknown-sender →
 * bad-signature (not a signature at all, or its keyId is another sender's) → unknown-key (its
 * keyId is none of the keys here) → bad-signature → sender-mismatch (kind not for this sender) →
 * invalid-payload → sender-mismatch (payload names another ship). An envelope that names its key
 * is checked against that key alone; one without keyId (earlier senders) against each of the
 * sender's keys. Rejections a reconfigured or upgraded receiver could turn around are marked
 * `verifiableLater`. The schema version is read before the other fields so that a newer envelope is
 * reported as such, not as a pile of field errors. The signature is checked over the received
 * JSON itself, before the payload is interpreted; for a batch-signed envelope (schema version 2)
 * over the root its proof leads to from the received JSON, each root checked once per key ring.
 */
export function verifyEnvelope(raw: unknown, keyRing: KeyRing): VerifiedEnvelope {
  try {
    const checked = checkBeforeSignature(raw, keyRing);
    if (!checked.ok) return checked;
    const { bytes, keys, signatureBytes, rootKey } = checked;
    const check = (): boolean => keys.some((key) => verify(null, bytes, key, signatureBytes));
    const valid = rootKey === null ? check() : keyRing.verifiedRoots.verifySync(rootKey, check);
    forgetFailedTree(checked, valid, keyRing);
    return checkAfterSignature(checked, valid);
  } catch (error) {
    return unreadable(error);
  }
}

/**
 * verifyEnvelope with the Ed25519 check on libuv's thread pool: the same checks in the same order
 * and the same verdicts, while the event loop serves other work (a ship verifies one signature
 * per master document it receives, ~170 µs each).
 */
export async function verifyEnvelopeAsync(
  raw: unknown,
  keyRing: KeyRing,
): Promise<VerifiedEnvelope> {
  try {
    const checked = checkBeforeSignature(raw, keyRing);
    if (!checked.ok) return checked;
    const { bytes, keys, signatureBytes, rootKey } = checked;
    const check = async (): Promise<boolean> => {
      for (const key of keys) {
        const valid = await new Promise<boolean>((resolve, reject) =>
          verify(null, bytes, key, signatureBytes, (error, result) =>
            error ? reject(error) : resolve(result),
          ),
        );
        if (valid) return true;
      }
      return false;
    };
    const valid =
      rootKey === null ? await check() : await keyRing.verifiedRoots.verify(rootKey, check);
    forgetFailedTree(checked, valid, keyRing);
    return checkAfterSignature(checked, valid);
  } catch (error) {
    return unreadable(error);
  }
}

function forgetFailedTree(checked: ReadyToVerify, valid: boolean, keyRing: KeyRing): void {
  if (!valid && checked.treeKey !== null && checked.rootKey !== null) {
    keyRing.batchTrees.forget(checked.treeKey, checked.rootKey);
  }
}

/** E.g. JSON nested too deep to walk: refused like any other bad message, never thrown. */
function unreadable(error: unknown): EnvelopeRejection {
  return rejectEnvelope(R.Malformed, `envelope could not be read (${errorMessage(error)})`);
}

interface ReadyToVerify {
  ok: true;
  header: UnsignedEnvelopeDto;
  signature: string;
  /** What the signature covers: the envelope's canonical bytes, or its batch's root. */
  bytes: Buffer;
  signatureBytes: Buffer;
  keys: readonly KeyObject[];
  /** For a batch-signed envelope: its root and signature, under which the check is remembered. */
  rootKey: string | null;
  /** For a batch-signed envelope: its batch's tree in the key ring's BatchTrees. */
  treeKey: string | null;
}

const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Where a batch-signed envelope sits in its batch's tree. */
interface BatchProof {
  ok: true;
  index: number;
  size: number;
  path: Buffer;
}

/** The `proof` of a batch-signed envelope, or why it cannot be one. */
function readProof(proof: unknown): BatchProof | { ok: false; error: string } {
  if (!isPlainObject(proof)) {
    return { ok: false, error: 'proof: is required for a batch-signed envelope (an object)' };
  }
  const { index, size, path, ...rest } = proof;
  const extra = Object.keys(rest);
  if (extra.length > 0) return { ok: false, error: `proof.${extra[0]}: is not allowed` };
  if (
    !Number.isSafeInteger(size) ||
    (size as number) < 1 ||
    (size as number) > MAX_BATCH_PROOF_SIZE
  ) {
    return { ok: false, error: `proof.size: must be an integer from 1 to ${MAX_BATCH_PROOF_SIZE}` };
  }
  if (
    !Number.isSafeInteger(index) ||
    (index as number) < 0 ||
    (index as number) >= (size as number)
  ) {
    return { ok: false, error: 'proof.index: must be an integer from 0 to size - 1' };
  }
  // At most 16 hashes of 32 bytes: 684 base64 characters.
  if (typeof path !== 'string' || path.length > 684 || !BASE64_PATTERN.test(path)) {
    return { ok: false, error: 'proof.path: must be base64 of SHA-256 hashes' };
  }
  return {
    ok: true,
    index: index as number,
    size: size as number,
    path: Buffer.from(path, 'base64'),
  };
}

/** A well-formed envelope that carries a signature, its signer's keys not looked at yet. */
interface SignedFields {
  ok: true;
  header: UnsignedEnvelopeDto;
  signature: string;
  /** The envelope without its signature and proof: what the signature covers. */
  unsigned: Record<string, unknown>;
  /** Null unless the envelope is batch-signed. */
  proof: BatchProof | null;
}

/**
 * The checks before the signature, in their order: each stage reads what the ones before it
 * established, and the first refusal is the verdict.
 */
function checkBeforeSignature(raw: unknown, keyRing: KeyRing): ReadyToVerify | EnvelopeRejection {
  if (!isPlainObject(raw)) {
    return rejectEnvelope(R.Malformed, 'envelope must be a JSON object');
  }
  const unsupported = checkSchemaVersion(raw.schemaVersion);
  if (unsupported !== null) return unsupported;
  const fields = readSignedFields(raw, raw.schemaVersion as number);
  if (!fields.ok) return fields;
  const keys = signingKeys(fields, keyRing);
  if (!isKeyList(keys)) return keys;
  return fields.proof === null
    ? readyToVerifyAlone(fields, keys)
    : readyToVerifyInBatch(fields, fields.proof, keys, keyRing);
}

/** Read before the other fields, so that a newer envelope is reported as such. */
function checkSchemaVersion(schemaVersion: unknown): EnvelopeRejection | null {
  if (!Number.isSafeInteger(schemaVersion) || (schemaVersion as number) < 1) {
    return rejectEnvelope(R.Malformed, 'schemaVersion: must be an integer ≥ 1');
  }
  if (!isSupportedSchemaVersion(schemaVersion as number)) {
    // A newer version may be read by a later release; one this release retired never will be.
    return rejectEnvelope(
      R.UnsupportedSchemaVersion,
      `schemaVersion ${String(schemaVersion)} is not supported (supported: ${SUPPORTED_SCHEMA_VERSIONS.join(', ')})`,
      (schemaVersion as number) > Math.max(...SUPPORTED_SCHEMA_VERSIONS),
    );
  }
  return null;
}

/** This version's envelope fields (a batch proof included), then whether it is signed at all. */
function readSignedFields(
  raw: Record<string, unknown>,
  schemaVersion: number,
): SignedFields | EnvelopeRejection {
  const { signature, proof: rawProof, ...unsigned } = raw;
  const header = validateContract(UnsignedEnvelopeDto, unsigned);
  if (!header.ok) {
    return rejectEnvelope(R.Malformed, header.errors.join('\n'));
  }
  const batchSigned = schemaVersion === BATCH_SIGNED_SCHEMA_VERSION;
  if (!batchSigned && rawProof !== undefined) {
    return rejectEnvelope(
      R.Malformed,
      `proof: is not allowed in schema version ${String(schemaVersion)}`,
    );
  }
  const proof = batchSigned ? readProof(rawProof) : null;
  if (proof !== null && !proof.ok) {
    return rejectEnvelope(R.Malformed, proof.error);
  }
  if (signature !== undefined && signature !== null && typeof signature !== 'string') {
    return rejectEnvelope(R.Malformed, 'signature: must be a base64 Ed25519 signature');
  }
  if (signature === undefined || signature === null || signature === '') {
    return rejectEnvelope(R.Unsigned, 'envelope has no signature');
  }
  return { ok: true, header: header.value, signature, unsigned, proof };
}

/**
 * The keys the signature is checked against: the one the envelope names, else each of the
 * sender's; or why none can be.
 */
function signingKeys(
  { header, signature }: SignedFields,
  keyRing: KeyRing,
): readonly KeyObject[] | EnvelopeRejection {
  const { sender, keyId, messageId } = header;
  const senderKeys = keyRing.keysFor(sender);
  if (senderKeys.length === 0) {
    // Final: a ship trusts the master alone (always configured), so to a ship an unknown sender is
    // a stranger; and a master holding for a ship not yet registered would stall other ships.
    return rejectEnvelope(R.UnknownSender, `no public key for sender '${sender}'`);
  }
  if (!SIGNATURE_PATTERN.test(signature)) {
    return rejectEnvelope(R.BadSignature, 'signature is not a base64 Ed25519 signature');
  }
  if (keyId === undefined) return senderKeys;
  const named = keyRing.keyById(sender, keyId);
  if (named !== undefined) return [named];
  const owner = keyRing.senderOfKeyId(keyId);
  if (owner !== undefined) {
    // Another sender's key, trusted here: no configuration makes this message right.
    return rejectEnvelope(
      R.BadSignature,
      `message ${messageId} from '${sender}' names key ${keyId}, which is '${owner}''s`,
    );
  }
  return rejectEnvelope(
    R.UnknownKey,
    `message ${messageId} is signed with key ${keyId} of '${sender}', not configured here (known: ${keyRing.keyIdsFor(sender).join(', ')})`,
    true,
  );
}

function isKeyList(keys: readonly KeyObject[] | EnvelopeRejection): keys is readonly KeyObject[] {
  return Array.isArray(keys);
}

/** An envelope signed on its own: the signature covers its canonical bytes. */
function readyToVerifyAlone(fields: SignedFields, keys: readonly KeyObject[]): ReadyToVerify {
  return {
    ok: true,
    header: fields.header,
    signature: fields.signature,
    bytes: canonicalEnvelopeBytes(fields.unsigned),
    signatureBytes: Buffer.from(fields.signature, 'base64'),
    keys,
    rootKey: null,
    treeKey: null,
  };
}

/**
 * A batch-signed envelope: the signature covers the root its proof leads to, and the walk is
 * remembered in the key ring's batch trees so the batch's other envelopes meet it.
 */
function readyToVerifyInBatch(
  fields: SignedFields,
  proof: BatchProof,
  keys: readonly KeyObject[],
  keyRing: KeyRing,
): ReadyToVerify | EnvelopeRejection {
  const { header, signature } = fields;
  const envelopeBytes = canonicalEnvelopeBytes(fields.unsigned);
  const signatureBytes = Buffer.from(signature, 'base64');
  const treeKey = `${header.sender} ${proof.size} ${signature}`;
  const tree = keyRing.batchTrees.get(treeKey);
  const walk = walkProof(leafHash(envelopeBytes), proof.index, proof.size, proof.path, tree);
  if (walk === null) {
    return rejectEnvelope(
      R.BadSignature,
      `batch proof of message ${header.messageId} does not fit its index ${proof.index} of ${proof.size}`,
    );
  }
  const { root } = walk;
  const rootKey = walk.meets && tree ? tree.rootKey : `${treeKey} ${root.toString('base64')}`;
  keyRing.batchTrees.record(treeKey, root, rootKey, walk.nodes);
  return {
    ok: true,
    header,
    signature,
    bytes: batchRootMessage(proof.size, root),
    signatureBytes,
    keys,
    rootKey,
    treeKey,
  };
}

function checkAfterSignature(
  { header, signature }: ReadyToVerify,
  signatureValid: boolean,
): VerifiedEnvelope {
  const { sender, kind, messageId } = header;
  if (!signatureValid) {
    return rejectEnvelope(
      R.BadSignature,
      `signature of message ${messageId} does not match the key(s) of '${sender}'`,
    );
  }

  const role = KIND_SENDER_ROLE[kind];
  if (senderRole(sender) !== role) {
    return rejectEnvelope(R.SenderMismatch, `'${kind}' is sent by the ${role}, not by '${sender}'`);
  }
  const payload = validateContract(payloadSchemaFor(kind), header.payload, 'payload');
  if (!payload.ok) {
    return rejectEnvelope(R.InvalidPayload, payload.errors.join('\n'));
  }
  const mismatch = payloadSenderMismatch(kind, sender, payload.value);
  if (mismatch !== null) {
    return rejectEnvelope(R.SenderMismatch, mismatch);
  }
  return {
    ok: true,
    envelope: { ...header, payload: payload.value, signature } as SignedEnvelope,
  };
}

/** decodeEnvelope then verifyEnvelope: a Kafka message value in, a trusted envelope or a reason out. */
export function openEnvelope(
  value: Buffer | string | null | undefined,
  keyRing: KeyRing,
): VerifiedEnvelope {
  const decoded = decodeEnvelope(value);
  return decoded.ok ? verifyEnvelope(decoded.value, keyRing) : decoded;
}
