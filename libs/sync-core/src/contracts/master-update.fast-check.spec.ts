import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { fastMasterUpdate } from './master-update.fast-check';
import { MasterUpdateOriginDto } from './master-update-origin.dto';
import { MasterUpdateDto } from './master-update.dto';
import { FAST_SCAN_MAX_DEPTH } from './reserved-key-scan.util';
import { validateContract, validateWithDecorators } from './validate-contract';

type Json = Record<string, unknown>;

function update(overrides: Json = {}): Json {
  return {
    type: 'article',
    documentId: uuidv4(),
    locale: 'de',
    version: 7,
    deleted: false,
    data: { title: 'Harbour closed', body: 'x'.repeat(2_000), tags: ['port'], toString: 'a field' },
    author: 'ship:ship-a',
    updatedAt: '2024-01-15T10:30:00.000+01:00',
    origin: { shipId: 'ship-a', changeId: uuidv7() },
    ...overrides,
  };
}

/** What the fast check says, after checking that validateContract says what the decorators say. */
function fastVerdict(raw: Json): MasterUpdateDto | undefined {
  const reference = validateWithDecorators(MasterUpdateDto, raw, 'payload');
  expect(validateContract(MasterUpdateDto, raw, 'payload')).toStrictEqual(reference);
  const fast = fastMasterUpdate(raw);
  if (fast !== undefined) {
    expect(reference.ok && reference.value).toStrictEqual(fast);
  }
  return fast;
}

function nested(depth: number): Json {
  let value: Json = { leaf: true };
  for (let i = 1; i < depth; i += 1) {
    value = { child: value };
  }
  return value;
}

describe('fastMasterUpdate', () => {
  it('builds what the decorators build, with the document as received', () => {
    const raw = update();
    const fast = fastVerdict(raw);
    expect(fast).toBeInstanceOf(MasterUpdateDto);
    expect(fast?.origin).toBeInstanceOf(MasterUpdateOriginDto);
    expect(fast?.data).toBe(raw.data);
    expect(Object.keys(fast ?? {})).toEqual(Object.keys(raw));
  });

  it.each([
    ['without origin', { origin: undefined }],
    ['a deletion marker', { deleted: true, data: {} }],
    ['a master edit', { author: 'master:alice@example.com' }],
  ])('accepts %s', (_name, overrides) => {
    expect(fastVerdict(update(overrides))).toBeDefined();
  });

  it('accepts an update that leaves origin out entirely', () => {
    const { origin: _origin, ...raw } = update();
    expect(fastVerdict(raw)?.origin).toBeUndefined();
  });

  it.each([
    ['origin null', { origin: null }],
    ['origin an array', { origin: [] }],
    ['origin from the master', { origin: { shipId: 'master', changeId: uuidv7() } }],
    ['origin with an extra key', { origin: { shipId: 'ship-a', changeId: uuidv7(), at: 1 } }],
    ['version 0', { version: 0 }],
    ['deleted as a string', { deleted: 'false' }],
    ['data an array', { data: [] }],
    ['a bad author', { author: 'ship:master' }],
    ['a time without zone', { updatedAt: '2024-01-15T10:30:00' }],
    ['an unknown property', { shipId: 'ship-a' }],
  ])('leaves %s to the decorators, with their error', (_name, overrides) => {
    expect(fastVerdict(update(overrides))).toBeUndefined();
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'leaves the reserved key %s to the decorators, in data or origin',
    (key) => {
      const text = JSON.stringify(update());
      const inData = text.replace('"data":{', `"data":{"a":{"b":[{"${key}":1}]},`);
      const inOrigin = text.replace('"origin":{', `"origin":{"${key}":{},`);
      expect(fastVerdict(JSON.parse(inData) as Json)).toBeUndefined();
      expect(fastVerdict(JSON.parse(inOrigin) as Json)).toBeUndefined();
    },
  );

  it('leaves data nested deeper than it walks to the decorators, which accept it', () => {
    expect(fastVerdict(update({ data: nested(FAST_SCAN_MAX_DEPTH) }))).toBeDefined();
    const deep = update({ data: nested(FAST_SCAN_MAX_DEPTH + 1) });
    expect(fastVerdict(deep)).toBeUndefined();
    expect(validateContract(MasterUpdateDto, deep).ok).toBe(true);
  });
});
