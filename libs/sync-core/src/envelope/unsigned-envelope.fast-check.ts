import { isPlainObject, isSenderId, MESSAGE_KINDS } from '../contracts';
import { toContractInstanceOfKeys } from '../contracts/contract-instance';
import {
  isOneOf,
  isWireInt,
  isWireTimestampQuick,
  isWireUuidV7,
} from '../contracts/wire-field.predicates';
import { UnsignedEnvelopeDto } from './envelope.dto';
import { isKeyId } from './key-id';

const ENVELOPE_KEYS: ReadonlySet<string> = new Set([
  'schemaVersion',
  'messageId',
  'sender',
  'kind',
  'timestamp',
  'payload',
  'keyId',
]);

/**
 * The UnsignedEnvelopeDto that validateContract would return for `raw`, when `raw` is certainly
 * valid by the DTO's decorators; else undefined, and the decorators say why. A ship checks one
 * envelope header per master document it receives.
 */
export function fastUnsignedEnvelope(
  raw: Record<string, unknown>,
): UnsignedEnvelopeDto | undefined {
  const header = toContractInstanceOfKeys(UnsignedEnvelopeDto, raw, ENVELOPE_KEYS);
  if (header === undefined) return undefined;
  const fields = header as Record<keyof UnsignedEnvelopeDto, unknown>;
  const valid =
    isWireInt(fields.schemaVersion, 1) &&
    isWireUuidV7(fields.messageId) &&
    isSenderId(fields.sender) &&
    isOneOf(fields.kind, MESSAGE_KINDS) &&
    isWireTimestampQuick(fields.timestamp) &&
    isPlainObject(fields.payload) &&
    (fields.keyId === undefined || isKeyId(fields.keyId));
  return valid ? header : undefined;
}
