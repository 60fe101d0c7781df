import { MessageKind } from '../contracts/message-kind.enum';
import { signEnvelope, signEnvelopeAsync } from './envelope-signer';
import { verifyEnvelope } from './envelope-verifier';
import { KeyRing } from './key-ring';
import { generateSigningKeyPair } from './signing-keys';

const master = generateSigningKeyPair();
const ring = new KeyRing([['master', master.publicKey]]);

const draft = {
  sender: 'master',
  kind: MessageKind.MasterUpdate,
  messageId: '0190b5f1-6a2e-7c3d-9e4f-5a6b7c8d9e0f',
  timestamp: '2024-01-15T10:30:00.000Z',
  payload: {
    type: 'article',
    documentId: '0190b5f1-6a2e-7c3d-9e4f-5a6b7c8d9e10',
    locale: 'en',
    version: 3,
    deleted: false,
    data: { title: 'Hello', body: { blocks: [1, 'text'] } },
    author: 'master:editor',
    updatedAt: '2024-01-15T10:30:00.000Z',
  },
} as const;

describe('signEnvelopeAsync', () => {
  it('gives the same envelope as signEnvelope, and receivers accept it', async () => {
    const signed = await signEnvelopeAsync(draft, master.privateKey);
    expect(signed).toEqual(signEnvelope(draft, master.privateKey));
    expect(verifyEnvelope(JSON.parse(JSON.stringify(signed)), ring)).toMatchObject({ ok: true });
  });

  it('refuses what signEnvelope refuses', async () => {
    await expect(signEnvelopeAsync(draft, master.publicKey)).rejects.toBeInstanceOf(TypeError);
    await expect(
      signEnvelopeAsync({ ...draft, sender: 'not a sender!' }, master.privateKey),
    ).rejects.toBeInstanceOf(RangeError);
  });
});
