import { MessageKind } from './contracts/message-kind.enum';
import { KeyRing } from './envelope/key-ring';
import { loadPrivateKey } from './envelope/signing-keys';
import { signEnvelope } from './envelope/envelope-signer';
import { verifyEnvelope } from './envelope/envelope-verifier';
import { generateProvisioningKeys, runKeygen } from './keygen';

function captureIo(): { out: string[]; err: string[]; io: Parameters<typeof runKeygen>[1] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (text) => out.push(text), err: (text) => err.push(text) } };
}

describe('generateProvisioningKeys', () => {
  it('gives a ship its private key line and the master its public key entry', () => {
    const keys = generateProvisioningKeys('ship-a');
    expect(keys.privateKeyLine).toBe(`SYNC_SIGNING_PRIVATE_KEY=${keys.privateKey}`);
    expect(keys.publicKeyLine).toBe(`ship-a=${keys.publicKey}`);

    // The pair works end to end: the ship signs, the master's ring verifies.
    const ring = KeyRing.fromEntries(keys.publicKeyLine);
    const envelope = signEnvelope(
      {
        sender: 'ship-a',
        kind: MessageKind.Heartbeat,
        payload: {
          shipId: 'ship-a',
          sentAt: new Date().toISOString(),
          appVersion: '1.0.0',
          queueDepth: 0,
          failedCount: 0,
          oldestPendingAgeMs: null,
          appliedPosition: {},
          online: true,
        },
      },
      loadPrivateKey(keys.privateKey),
    );
    expect(verifyEnvelope(envelope, ring).ok).toBe(true);
  });

  it("gives the master's public key as the ships' setting", () => {
    const keys = generateProvisioningKeys('master');
    expect(keys.publicKeyLine).toBe(`SYNC_MASTER_PUBLIC_KEY=${keys.publicKey}`);
    const ring = KeyRing.fromEntries(keys.publicKey, { defaultSender: 'master' });
    expect(ring.senders).toEqual(['master']);
  });

  it('makes a new pair every time', () => {
    expect(generateProvisioningKeys('ship-a').privateKey).not.toBe(
      generateProvisioningKeys('ship-a').privateKey,
    );
  });

  it('refuses an id no envelope could carry', () => {
    expect(() => generateProvisioningKeys('Ship A')).toThrow(RangeError);
  });
});

describe('runKeygen', () => {
  it('prints only the two env lines on stdout and the explanation on stderr', () => {
    const { out, err, io } = captureIo();
    expect(runKeygen(['ship-a'], io)).toBe(0);
    const lines = out.join('').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^SYNC_SIGNING_PRIVATE_KEY=[A-Za-z0-9+/=]+$/);
    expect(lines[1]).toMatch(/^ship-a=[A-Za-z0-9+/=]+$/);
    expect(err.join('')).toContain('SYNC_SHIP_PUBLIC_KEYS');
  });

  it.each([[[]], [['a', 'b']]])('prints usage and fails for arguments %j', (args) => {
    const { out, err, io } = captureIo();
    expect(runKeygen(args, io)).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('')).toMatch(/^usage: keygen <ship-id \| master>/);
  });

  it('explains a bad id', () => {
    const { err, io } = captureIo();
    expect(runKeygen(['MASTER'], io)).toBe(2);
    expect(err.join('')).toMatch(/^keygen: 'MASTER' is not 'master' or a ship id/);
  });
});
