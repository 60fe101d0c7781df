import { verify, type KeyObject } from 'node:crypto';
import {
  isPlainObject,
  isSupportedSchemaVersion,
  MessageKind,
  payloadClassFor,
  SUPPORTED_SCHEMA_VERSIONS,
  validateContract,
} from '../contracts';
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
 * malformed (this version's envelope fields) → unsigned → unknown-sender → bad-signature →
 * sender-mismatch (kind not for this sender) → invalid-payload → sender-mismatch (payload names
 * another ship). The schema version is read before the other fields so that a newer envelope is
 * reported as such, not as a pile of field errors. The signature is checked over the received
 * JSON itself, before the payload is interpreted.
 */
export function verifyEnvelope(raw: unknown, keyRing: KeyRing): VerifiedEnvelope {
  try {
    const checked = checkBeforeSignature(raw, keyRing);
    if (!checked.ok) return checked;
    const { bytes, keys, signatureBytes } = checked;
    return checkAfterSignature(
      checked,
      keys.some((key) => verify(null, bytes, key, signatureBytes)),
    );
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
    const { bytes, keys, signatureBytes } = checked;
    let valid = false;
    for (const key of keys) {
      valid = await new Promise<boolean>((resolve, reject) =>
        verify(null, bytes, key, signatureBytes, (error, result) =>
          error ? reject(error) : resolve(result),
        ),
      );
      if (valid) break;
    }
    return checkAfterSignature(checked, valid);
  } catch (error) {
    return unreadable(error);
  }
}

/** E.g. JSON nested too deep to walk: refused like any other bad message, never thrown. */
function unreadable(error: unknown): EnvelopeRejection {
  return rejectEnvelope(
    R.Malformed,
    `envelope could not be read (${error instanceof Error ? error.message : String(error)})`,
  );
}

interface ReadyToVerify {
  ok: true;
  header: UnsignedEnvelopeDto;
  signature: string;
  bytes: Buffer;
  signatureBytes: Buffer;
  keys: readonly KeyObject[];
}

function checkBeforeSignature(raw: unknown, keyRing: KeyRing): ReadyToVerify | EnvelopeRejection {
  if (!isPlainObject(raw)) {
    return rejectEnvelope(R.Malformed, 'envelope must be a JSON object');
  }
  const { schemaVersion, signature } = raw;
  if (!Number.isSafeInteger(schemaVersion) || (schemaVersion as number) < 1) {
    return rejectEnvelope(R.Malformed, 'schemaVersion: must be an integer ≥ 1');
  }
  if (!isSupportedSchemaVersion(schemaVersion as number)) {
    return rejectEnvelope(
      R.UnsupportedSchemaVersion,
      `schemaVersion ${String(schemaVersion)} is not supported (supported: ${SUPPORTED_SCHEMA_VERSIONS.join(', ')})`,
    );
  }

  const { signature: _signature, ...unsignedRaw } = raw;
  const header = validateContract(UnsignedEnvelopeDto, unsignedRaw);
  if (!header.ok) {
    return rejectEnvelope(R.Malformed, header.errors.join('\n'));
  }
  if (signature !== undefined && signature !== null && typeof signature !== 'string') {
    return rejectEnvelope(R.Malformed, 'signature: must be a base64 Ed25519 signature');
  }
  if (signature === undefined || signature === null || signature === '') {
    return rejectEnvelope(R.Unsigned, 'envelope has no signature');
  }

  const keys = keyRing.keysFor(header.value.sender);
  if (keys.length === 0) {
    return rejectEnvelope(R.UnknownSender, `no public key for sender '${header.value.sender}'`);
  }
  if (!SIGNATURE_PATTERN.test(signature)) {
    return rejectEnvelope(R.BadSignature, 'signature is not a base64 Ed25519 signature');
  }
  const bytes = canonicalEnvelopeBytes(unsignedRaw);
  const signatureBytes = Buffer.from(signature, 'base64');
  return { ok: true, header: header.value, signature, bytes, signatureBytes, keys };
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
  const payload = validateContract(payloadClassFor(kind), header.payload, 'payload');
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
