import crypto from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { MessageKind } from '../contracts/message-kind.enum';
import { PayloadByKind } from '../contracts/payload-schema-for';
import { canonicalEnvelopeBytes } from './envelope-canonical';
import { decodeEnvelope, encodeEnvelope } from './envelope-codec';
import { EnvelopeRejectionReason } from './envelope-rejection-reason';
import { signatureFor, signEnvelope } from './envelope-signer';
import { openEnvelope, verifyEnvelope, verifyEnvelopeAsync } from './envelope-verifier';
import { keyIdOf, signingKeyWithoutKeyId } from './key-id';
import { KeyRing } from './key-ring';
import { generateSigningKeyPair } from './signing-keys';

const master = generateSigningKeyPair();
const shipA = generateSigningKeyPair();
const shipB = generateSigningKeyPair();
const ring = new KeyRing([
  ['master', master.publicKey],
  ['ship-a', shipA.publicKey],
  ['ship-b', shipB.publicKey],
]);

const DOCUMENT_ID = '0190b5f1-6a2e-7c3d-9e4f-5a6b7c8d9e0f';

function shipChanges(count = 1): PayloadByKind[MessageKind.ShipChanges] {
  return {
    changes: Array.from({ length: count }, (_, index) => ({
      changeId: uuidv7(),
      seq: index + 1,
      op: 'update' as const,
      type: 'article',
      documentId: DOCUMENT_ID,
      locale: 'en',
      baseVersion: 2,
      fields: { title: `Edit ${index}`, body: { blocks: [index, 'text'] } },
      editedAt: '2024-01-15T10:30:00.000Z',
    })),
  };
}

function heartbeat(shipId: string): PayloadByKind[MessageKind.Heartbeat] {
  return {
    shipId,
    sentAt: '2024-01-15T10:30:00.000Z',
    appVersion: '1.0.0',
    queueDepth: 0,
    failedCount: 0,
    oldestPendingAgeMs: null,
    appliedPosition: { '0': '17' },
    online: true,
  };
}

function signedChanges(count = 1): Record<string, unknown> {
  const envelope = signEnvelope(
    { sender: 'ship-a', kind: MessageKind.ShipChanges, payload: shipChanges(count) },
    shipA.privateKey,
  );
  // What a receiver sees: the JSON that came over Kafka.
  return JSON.parse(encodeEnvelope(envelope).toString('utf8')) as Record<string, unknown>;
}

/** An envelope with any header, correctly signed, to reach the checks after the signature. */
function resigned(
  fields: Record<string, unknown>,
  key: crypto.KeyObject = shipA.privateKey,
): Record<string, unknown> {
  // Named by its key id, as the signer names it, unless the test sets one.
  const envelope = { ...signedChanges(), keyId: keyIdOf(key), ...fields };
  return { ...envelope, signature: signatureFor(envelope, key) };
}

function reasonOf(raw: unknown): string {
  const result = verifyEnvelope(raw, ring);
  return result.ok ? 'ok' : result.reason;
}

describe('signEnvelope / verifyEnvelope', () => {
  it('round-trips a signed batch through Kafka bytes', () => {
    const envelope = signEnvelope(
      { sender: 'ship-a', kind: MessageKind.ShipChanges, payload: shipChanges(3) },
      shipA.privateKey,
    );
    const result = openEnvelope(encodeEnvelope(envelope), ring);
    expect(result.ok).toBe(true);
    if (result.ok && result.envelope.kind === MessageKind.ShipChanges) {
      expect(result.envelope.payload.changes.map((change) => change.seq)).toEqual([1, 2, 3]);
      expect(result.envelope.messageId).toBe(envelope.messageId);
      expect(result.envelope.signature).toBe(envelope.signature);
    } else {
      throw new Error('expected a ship-changes envelope');
    }
  });

  it('fills in a UUIDv7 message id, the current schema and time', () => {
    const before = Date.now();
    const envelope = signEnvelope(
      { sender: 'ship-a', kind: MessageKind.Heartbeat, payload: heartbeat('ship-a') },
      shipA.privateKey,
    );
    expect(envelope.schemaVersion).toBe(1);
    expect(envelope.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(Date.parse(envelope.timestamp)).toBeGreaterThanOrEqual(before - 1);
    expect(envelope.signature).toMatch(/^[A-Za-z0-9+/]{86}==$/);
  });

  it('keeps a given message id and timestamp (re-sending the same message)', () => {
    const messageId = uuidv7();
    const envelope = signEnvelope(
      {
        sender: 'master',
        kind: MessageKind.ChangeOutcomes,
        messageId,
        timestamp: '2024-01-15T10:30:00.000Z',
        payload: {
          shipId: 'ship-a',
          outcomes: [
            {
              changeId: uuidv7(),
              seq: 1,
              documentId: DOCUMENT_ID,
              type: 'article',
              locale: 'en',
              status: 'applied',
              version: 3,
            },
          ],
        },
      },
      master.privateKey,
    );
    expect(envelope.messageId).toBe(messageId);
    expect(verifyEnvelope(envelope, ring).ok).toBe(true);
  });

  it('signs over JCS, so key order and whitespace on the wire do not matter', () => {
    const envelope = signedChanges();
    const reordered = Object.fromEntries(Object.entries(envelope).reverse());
    const spaced = JSON.parse(JSON.stringify(reordered, null, 2)) as unknown;
    expect(reasonOf(spaced)).toBe('ok');
    expect(canonicalEnvelopeBytes(reordered)).toEqual(canonicalEnvelopeBytes(envelope));
  });

  it('signs a batch of 1,000 changes once', () => {
    const signSpy = jest.spyOn(crypto, 'sign');
    const verifySpy = jest.spyOn(crypto, 'verify');
    try {
      const envelope = signEnvelope(
        { sender: 'ship-a', kind: MessageKind.ShipChanges, payload: shipChanges(1000) },
        shipA.privateKey,
      );
      expect(verifyEnvelope(JSON.parse(JSON.stringify(envelope)), ring).ok).toBe(true);
      expect(signSpy).toHaveBeenCalledTimes(1);
      expect(verifySpy).toHaveBeenCalledTimes(1);
    } finally {
      signSpy.mockRestore();
      verifySpy.mockRestore();
    }
  });

  it('refuses to sign with a bad sender, kind or key', () => {
    const draft = { sender: 'ship-a', kind: MessageKind.Heartbeat, payload: heartbeat('ship-a') };
    expect(() => signEnvelope({ ...draft, sender: 'Ship A' }, shipA.privateKey)).toThrow(
      RangeError,
    );
    expect(() =>
      signEnvelope({ ...draft, kind: 'gossip' as MessageKind.Heartbeat }, shipA.privateKey),
    ).toThrow(RangeError);
    expect(() => signEnvelope(draft, shipA.publicKey)).toThrow(TypeError);
  });
});

describe('verifyEnvelope rejection reasons', () => {
  it.each([
    ['null', null],
    ['an array', [signedChanges()]],
    ['a string', 'envelope'],
    ['a missing schemaVersion', { ...signedChanges(), schemaVersion: undefined }],
    ['a fractional schemaVersion', { ...signedChanges(), schemaVersion: 1.5 }],
    ['a missing messageId', { ...signedChanges(), messageId: undefined }],
    [
      'a non-v7 messageId',
      { ...signedChanges(), messageId: '0190b5f1-6a2e-4c3d-9e4f-5a6b7c8d9e0f' },
    ],
    ['an unknown kind', { ...signedChanges(), kind: 'gossip' }],
    ['a bad sender id', { ...signedChanges(), sender: 'Ship A' }],
    ['a bad timestamp', { ...signedChanges(), timestamp: 'now' }],
    ['a non-object payload', { ...signedChanges(), payload: [] }],
    ['an extra field', { ...signedChanges(), priority: 'high' }],
    ['a numeric signature', { ...signedChanges(), signature: 12 }],
  ])('malformed: %s', (_name, raw) => {
    expect(reasonOf(raw)).toBe(EnvelopeRejectionReason.Malformed);
  });

  it('malformed: JSON nested too deep to walk, without throwing', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`) as unknown;
    expect(reasonOf({ ...signedChanges(), payload: { changes: deep } })).toBe('malformed');
  });

  it('names the field of a malformed envelope', () => {
    const result = verifyEnvelope({ ...signedChanges(), timestamp: 'now' }, ring);
    expect(result).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^timestamp: /) as string,
    });
  });

  it('unsupported-schema-version, even when the rest of the envelope is of a shape it does not know', () => {
    expect(reasonOf(resigned({ schemaVersion: 3 }))).toBe('unsupported-schema-version');
    expect(reasonOf({ schemaVersion: 3, body: 'future format' })).toBe(
      'unsupported-schema-version',
    );
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
  ])('unsigned: signature %s', (_name, signature) => {
    expect(reasonOf({ ...signedChanges(), signature })).toBe('unsigned');
  });

  it('unknown-sender: a sender not in the ring, even with a valid own signature', () => {
    const stranger = generateSigningKeyPair();
    expect(reasonOf(resigned({ sender: 'ship-z' }, stranger.privateKey))).toBe('unknown-sender');
  });

  it('bad-signature: signed by another ship key', () => {
    expect(reasonOf(resigned({}, shipB.privateKey))).toBe('bad-signature');
  });

  it('bad-signature: another ship cannot post as ship-a', () => {
    const forged = resigned({ sender: 'ship-a' }, shipB.privateKey);
    expect(reasonOf(forged)).toBe('bad-signature');
  });

  it('bad-signature: a captured ship cannot forge the master', () => {
    const forged = signEnvelope(
      {
        sender: 'master',
        kind: MessageKind.ChangeOutcomes,
        payload: { shipId: 'ship-b', outcomes: [] },
      },
      shipA.privateKey,
    );
    expect(reasonOf(forged)).toBe('bad-signature');
  });

  it('bad-signature: garbage in the signature field', () => {
    expect(reasonOf({ ...signedChanges(), signature: 'not base64!' })).toBe('bad-signature');
    expect(reasonOf({ ...signedChanges(), signature: Buffer.alloc(64).toString('base64') })).toBe(
      'bad-signature',
    );
  });

  it('sender-mismatch: a ship sending a kind only the master sends', () => {
    const raw = resigned({
      kind: MessageKind.MasterUpdate,
      payload: {
        type: 'article',
        documentId: DOCUMENT_ID,
        locale: '',
        version: 9,
        deleted: false,
        data: { title: 'Fake' },
        author: 'master:admin',
        updatedAt: '2024-01-15T10:30:00.000Z',
      },
    });
    expect(reasonOf(raw)).toBe('sender-mismatch');
  });

  it('sender-mismatch: the master sending ship changes', () => {
    expect(reasonOf(resigned({ sender: 'master' }, master.privateKey))).toBe('sender-mismatch');
  });

  it('sender-mismatch: a heartbeat on behalf of another ship', () => {
    const raw = resigned({ kind: MessageKind.Heartbeat, payload: heartbeat('ship-b') });
    const result = verifyEnvelope(raw, ring);
    expect(result).toEqual({
      ok: false,
      reason: 'sender-mismatch',
      detail: "heartbeat of 'ship-b' sent by 'ship-a'",
    });
  });

  it('change outcomes name the target ship, not the sender', () => {
    const envelope = signEnvelope(
      {
        sender: 'master',
        kind: MessageKind.ChangeOutcomes,
        payload: {
          shipId: 'ship-b',
          outcomes: [
            {
              changeId: uuidv7(),
              seq: 4,
              documentId: DOCUMENT_ID,
              type: 'article',
              locale: '',
              status: 'rejected',
              reason: 'superseded',
              version: 8,
            },
          ],
        },
      },
      master.privateKey,
    );
    expect(reasonOf(envelope)).toBe('ok');
  });

  it('invalid-payload, with every field error by path', () => {
    const payload = shipChanges(4) as unknown as { changes: Array<Record<string, unknown>> };
    payload.changes[3].baseVersion = -1;
    payload.changes[1].fields = {};
    const result = verifyEnvelope(resigned({ payload }), ring);
    expect(result).toEqual({
      ok: false,
      reason: 'invalid-payload',
      detail: [
        'payload.changes[1].fields: must not be empty for update',
        'payload.changes[3].baseVersion: must be an integer ≥ 0',
      ].join('\n'),
    });
  });

  it('checks in order: the first failing check names the reason', () => {
    // Unsigned and from an unknown sender: unsigned comes first.
    expect(reasonOf({ ...signedChanges(), sender: 'ship-z', signature: undefined })).toBe(
      'unsigned',
    );
    // Unknown sender with a broken payload: the payload is not read before the signature.
    expect(reasonOf(resigned({ sender: 'ship-z', payload: { changes: [] } }))).toBe(
      'unknown-sender',
    );
    // Bad signature and a broken payload: bad-signature.
    expect(reasonOf({ ...signedChanges(), payload: { changes: [] } })).toBe('bad-signature');
  });
});

describe('key ids: which key signed, and what a later configuration could verify', () => {
  const rotated = generateSigningKeyPair();
  const stranger = generateSigningKeyPair();
  const outcomes = (key: crypto.KeyObject) =>
    signEnvelope(
      {
        sender: 'master',
        kind: MessageKind.ChangeOutcomes,
        payload: {
          shipId: 'ship-a',
          outcomes: [
            {
              changeId: uuidv7(),
              seq: 1,
              documentId: DOCUMENT_ID,
              type: 'article',
              locale: 'en',
              status: 'applied',
              version: 3,
            },
          ],
        },
      },
      key,
    );
  /** A ship's ring: the master's key only, or its old and new key during a rotation. */
  const before = new KeyRing([['master', master.publicKey]]);
  const during = new KeyRing([
    ['master', master.publicKey],
    ['master', rotated.publicKey],
  ]);
  const verdict = (raw: unknown, keyRing: KeyRing) => {
    const result = verifyEnvelope(raw, keyRing);
    return result.ok ? 'ok' : `${result.reason}${result.verifiableLater ? ' (later)' : ''}`;
  };

  it.each<[string, () => unknown, KeyRing, string]>([
    ['the known key, named', () => outcomes(master.privateKey), before, 'ok'],
    [
      'a rotated key the ring does not have yet',
      () => outcomes(rotated.privateKey),
      before,
      'unknown-key (later)',
    ],
    ['the rotated key once configured', () => outcomes(rotated.privateKey), during, 'ok'],
    ['the old key while both are configured', () => outcomes(master.privateKey), during, 'ok'],
    [
      "unnamed (an earlier sender), under any of the sender's keys",
      () => outcomes(signingKeyWithoutKeyId(rotated.privateKey)),
      during,
      'ok',
    ],
    [
      'unnamed and signed by a key the ring lacks: indistinguishable from a forgery',
      () => outcomes(signingKeyWithoutKeyId(rotated.privateKey)),
      before,
      'bad-signature',
    ],
    [
      "named by the master's key id but signed by another key",
      () => ({ ...outcomes(stranger.privateKey), keyId: keyIdOf(master.publicKey) }),
      before,
      'bad-signature',
    ],
    [
      "named by another trusted sender's key: a forgery no configuration makes right",
      () => outcomes(shipA.privateKey),
      ring,
      'bad-signature',
    ],
    [
      "a ship's message on a ship, whose ring never holds ship keys",
      () =>
        signEnvelope(
          { sender: 'ship-a', kind: MessageKind.ShipChanges, payload: shipChanges() },
          shipA.privateKey,
        ),
      before,
      'unknown-sender',
    ],
    [
      'a sender nobody configured',
      () => resigned({ sender: 'ship-z' }, stranger.privateKey),
      ring,
      'unknown-sender',
    ],
    [
      'a newer schema version',
      () => ({ ...outcomes(master.privateKey), schemaVersion: 3 }),
      before,
      'unsupported-schema-version (later)',
    ],
    [
      'a malformed key id',
      () => ({ ...outcomes(master.privateKey), keyId: 'ABCDEF0123456789' }),
      before,
      'malformed',
    ],
    [
      'a key id changed in transit',
      () => ({ ...outcomes(master.privateKey), keyId: keyIdOf(rotated.publicKey) }),
      during,
      'bad-signature',
    ],
  ])('%s', (_name, envelope, keyRing, expected) => {
    const raw: unknown = JSON.parse(JSON.stringify(envelope()));
    expect(verdict(raw, keyRing)).toBe(expected);
  });
});

describe('tampering', () => {
  it.each([
    [
      'schemaVersion',
      (e: Record<string, unknown>) => ({ ...e, schemaVersion: 3 }),
      'unsupported-schema-version',
    ],
    ['messageId', (e: Record<string, unknown>) => ({ ...e, messageId: uuidv7() }), 'bad-signature'],
    ['sender', (e: Record<string, unknown>) => ({ ...e, sender: 'ship-b' }), 'bad-signature'],
    [
      'kind',
      (e: Record<string, unknown>) => ({ ...e, kind: MessageKind.Heartbeat }),
      'bad-signature',
    ],
    [
      'timestamp',
      (e: Record<string, unknown>) => ({ ...e, timestamp: '2024-01-15T10:30:00.001Z' }),
      'bad-signature',
    ],
    [
      'a change field value',
      (e: Record<string, unknown>) => {
        const copy = structuredClone(e) as {
          payload: { changes: Array<{ fields: Record<string, unknown> }> };
        };
        copy.payload.changes[0].fields.title = 'Edited in transit';
        return copy;
      },
      'bad-signature',
    ],
    [
      'a change base version',
      (e: Record<string, unknown>) => {
        const copy = structuredClone(e) as { payload: { changes: Array<{ baseVersion: number }> } };
        copy.payload.changes[0].baseVersion = 3;
        return copy;
      },
      'bad-signature',
    ],
    [
      'an added change',
      (e: Record<string, unknown>) => {
        const copy = structuredClone(e) as { payload: { changes: unknown[] } };
        copy.payload.changes.push({ ...(copy.payload.changes[0] as object), seq: 2 });
        return copy;
      },
      'bad-signature',
    ],
    [
      'the signature',
      (e: Record<string, unknown>) => {
        const bytes = Buffer.from(e.signature as string, 'base64');
        bytes[10] ^= 1;
        return { ...e, signature: bytes.toString('base64') };
      },
      'bad-signature',
    ],
  ])('%s', (_name, tamper, expected) => {
    expect(reasonOf(tamper(signedChanges()))).toBe(expected);
  });
});

describe('decodeEnvelope', () => {
  it.each([
    ['null (a Kafka tombstone)', null, 'empty message'],
    ['an empty buffer', Buffer.alloc(0), 'empty message'],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), 'message is not valid UTF-8'],
    ['not JSON', Buffer.from('{"schemaVersion":'), 'message is not JSON'],
    ['a JSON array', Buffer.from('[1,2]'), 'envelope must be a JSON object'],
    ['a JSON number', Buffer.from('42'), 'envelope must be a JSON object'],
  ])('rejects %s as malformed', (_name, value, detail) => {
    const result = decodeEnvelope(value);
    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.reason).toBe('malformed');
    expect(result.ok ? '' : result.detail.startsWith(detail)).toBe(true);
  });

  it('parses a string or a buffer', () => {
    expect(decodeEnvelope('{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(decodeEnvelope(Buffer.from('{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
  });

  it('openEnvelope reports malformed bytes without throwing', () => {
    expect(openEnvelope(Buffer.from('garbage'), ring)).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });
});

describe('verifyEnvelopeAsync', () => {
  it('gives verifyEnvelope’s verdict for every kind of envelope, with the check on the thread pool', async () => {
    const stranger = generateSigningKeyPair();
    const cases: unknown[] = [
      signedChanges(3),
      signEnvelope(
        { sender: 'ship-b', kind: MessageKind.Heartbeat, payload: heartbeat('ship-b') },
        shipB.privateKey,
      ),
      null,
      { ...signedChanges(), timestamp: 'now' },
      resigned({ schemaVersion: 3 }),
      { ...signedChanges(), signature: '' },
      resigned({ sender: 'ship-z' }, stranger.privateKey),
      resigned({}, shipB.privateKey),
      { ...signedChanges(), signature: Buffer.alloc(64).toString('base64') },
      resigned({ kind: MessageKind.Heartbeat, payload: heartbeat('ship-b') }),
      resigned({ payload: { changes: [{ seq: -1 }] } }),
      { ...signedChanges(), payload: { changes: [{ fields: { title: 'tampered' } }] } },
    ];
    for (const raw of cases) {
      expect(await verifyEnvelopeAsync(raw, ring)).toEqual(verifyEnvelope(raw, ring));
    }
    const verdicts = await Promise.all(cases.map((raw) => verifyEnvelopeAsync(raw, ring)));
    expect(verdicts.map((v) => (v.ok ? 'ok' : v.reason))).toEqual([
      'ok',
      'ok',
      'malformed',
      'malformed',
      'unsupported-schema-version',
      'unsigned',
      'unknown-sender',
      'bad-signature',
      'bad-signature',
      'sender-mismatch',
      'invalid-payload',
      'bad-signature',
    ]);
  });
});
