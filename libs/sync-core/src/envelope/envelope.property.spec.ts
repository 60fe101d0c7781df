import fc from 'fast-check';
import { v7 as uuidv7 } from 'uuid';
import { MessageKind } from '../contracts/message-kind.enum';
import { encodeEnvelope } from './envelope-codec';
import { signEnvelope } from './envelope-signer';
import { verifyEnvelope } from './envelope-verifier';
import { KeyRing } from './key-ring';
import { generateSigningKeyPair } from './signing-keys';

const ship = generateSigningKeyPair();
const other = generateSigningKeyPair();
const ring = new KeyRing([
  ['ship-a', ship.publicKey],
  ['ship-b', other.publicKey],
]);

/** Document data as it arrives over the wire: any JSON object without prototype-reaching keys. */
const fieldName = fc
  .string({ minLength: 1, maxLength: 12, unit: 'grapheme' })
  .filter((key) => !['__proto__', 'constructor', 'prototype'].includes(key));
const jsonLeaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ unit: 'binary' }),
);
const jsonValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    jsonLeaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fieldName, tie('value'), { maxKeys: 4 }),
  ),
})).value;
const documentData = fc.dictionary(fieldName, jsonValue, { minKeys: 1, maxKeys: 6 });

function signedWith(fields: Record<string, unknown>): Record<string, unknown> {
  const envelope = signEnvelope(
    {
      sender: 'ship-a',
      kind: MessageKind.ShipChanges,
      payload: {
        changes: [
          {
            changeId: uuidv7(),
            seq: 1,
            op: 'create',
            type: 'article',
            documentId: '0190b5f1-6a2e-7c3d-9e4f-5a6b7c8d9e0f',
            locale: '',
            baseVersion: 0,
            fields,
            editedAt: '2024-01-15T10:30:00.000Z',
          },
        ],
      },
    },
    ship.privateKey,
  );
  return JSON.parse(encodeEnvelope(envelope).toString('utf8')) as Record<string, unknown>;
}

type Path = Array<string | number>;

/** Every path to a leaf or container of a JSON value, except the signature itself. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const here = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) {
    return [...here, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))];
  }
  if (typeof value === 'object' && value !== null) {
    return [
      ...here,
      ...Object.entries(value)
        .filter(([key]) => !(prefix.length === 0 && key === 'signature'))
        .flatMap(([key, child]) => pathsOf(child, [...prefix, key])),
    ];
  }
  return here;
}

/** A different JSON value of the same or another type. */
function mutate(value: unknown): unknown {
  if (typeof value === 'string') {
    return `${value}x`;
  }
  if (typeof value === 'number') {
    return value === 0 ? 1 : -value === value ? value + 1 : value * -1 + 1;
  }
  if (typeof value === 'boolean') {
    return !value;
  }
  if (value === null) {
    return 0;
  }
  if (Array.isArray(value)) {
    return [...(value as unknown[]), null];
  }
  return { ...(value as object), ['mutated field']: true };
}

function withMutation(envelope: Record<string, unknown>, path: Path): unknown {
  const copy = structuredClone(envelope);
  let parent: Record<string | number, unknown> = copy;
  for (const step of path.slice(0, -1)) {
    parent = parent[step] as Record<string | number, unknown>;
  }
  const last = path[path.length - 1];
  parent[last] = mutate(parent[last]);
  return copy;
}

describe('envelope signatures (properties)', () => {
  it('verify any JSON-safe document data after a trip through Kafka bytes', () => {
    fc.assert(
      fc.property(documentData, (fields) => {
        const result = verifyEnvelope(signedWith(fields), ring);
        return result.ok;
      }),
      { numRuns: 300 },
    );
  });

  it('fail after any single-field mutation anywhere in the envelope', () => {
    fc.assert(
      fc.property(
        documentData.chain((fields) => {
          const envelope = signedWith(fields);
          return fc.tuple(fc.constant(envelope), fc.constantFrom(...pathsOf(envelope)));
        }),
        ([envelope, path]) => {
          const result = verifyEnvelope(withMutation(envelope, path), ring);
          return !result.ok;
        },
      ),
      { numRuns: 300 },
    );
  });
});
