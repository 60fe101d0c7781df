import { MessageKind } from '../contracts/message-kind.enum';
import { inCanonicalKeyOrder } from './canonical-json';
import { canonicalUnsignedText } from './envelope-canonical';
import { signEnvelope } from './envelope-signer';
import { isKeyId, keyIdOf, signingKeyId, signingKeyWithoutKeyId } from './key-id';
import { generateSigningKeyPair } from './signing-keys';

const a = generateSigningKeyPair();
const b = generateSigningKeyPair();

const heartbeatDraft = {
  sender: 'ship-a',
  kind: MessageKind.Heartbeat,
  payload: {
    shipId: 'ship-a',
    sentAt: '2024-01-15T10:30:00.000Z',
    appVersion: '1.0.0',
    queueDepth: 0,
    failedCount: 0,
    oldestPendingAgeMs: null,
    appliedPosition: {},
    online: true,
  },
} as const;

describe('keyIdOf', () => {
  it('is 16 hex digits of SHA-256 over the SPKI DER, the same from either half of the pair', () => {
    const id = keyIdOf(a.privateKey);
    expect(isKeyId(id)).toBe(true);
    expect(keyIdOf(a.publicKey)).toBe(id);
    expect(keyIdOf(b.publicKey)).not.toBe(id);
  });
});

describe('envelopes name their key', () => {
  it('signEnvelope writes keyId first, where JCS puts it, inside what the signature covers', () => {
    const envelope = signEnvelope(
      { ...heartbeatDraft, payload: inCanonicalKeyOrder(heartbeatDraft.payload) },
      a.privateKey,
    );
    expect(envelope.keyId).toBe(keyIdOf(a.publicKey));
    const { signature: _signature, ...unsigned } = envelope;
    expect(JSON.stringify(unsigned)).toBe(canonicalUnsignedText(unsigned));
    expect(Object.keys(envelope)[0]).toBe('keyId');
  });

  it('a key marked for earlier receivers signs without keyId, and the original key is unchanged', () => {
    const unnamed = signingKeyWithoutKeyId(a.privateKey);
    expect(signingKeyId(unnamed)).toBeUndefined();
    expect(signingKeyId(a.privateKey)).toBe(keyIdOf(a.publicKey));
    const envelope = signEnvelope(heartbeatDraft, unnamed);
    expect('keyId' in envelope).toBe(false);
    // Same key, same signature scheme: the same bytes signed the same way.
    const named = signEnvelope(
      { ...heartbeatDraft, messageId: envelope.messageId, timestamp: envelope.timestamp },
      a.privateKey,
    );
    const { keyId: _keyId, signature: _named, ...rest } = named;
    const { signature: _unnamed, ...unnamedRest } = envelope;
    expect(rest).toEqual(unnamedRest);
  });
});
