import { MasterUpdateDto } from './master-update.dto';
import { masterUpdateKey, parseMasterUpdateKey } from './master-update-key.util';
import { validateContract } from './validate-contract';

const DOCUMENT_ID = '0190b5f1-6a2e-7c3d-9e4f-5a6b7c8d9e0f';
const CHANGE_ID = '0190b5f1-6a2e-7c3d-8e4f-5a6b7c8d9e10';

function update(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'article',
    documentId: DOCUMENT_ID,
    locale: '',
    version: 4,
    deleted: false,
    data: { title: 'Harbour closed', tags: ['port'] },
    author: 'master:alice@example.com',
    updatedAt: '2024-01-15T10:30:00.000Z',
    ...overrides,
  };
}

function errorsOf(plain: unknown): string[] {
  const result = validateContract(MasterUpdateDto, plain);
  return result.ok ? [] : result.errors;
}

describe('MasterUpdateDto', () => {
  it.each([
    ['a master edit', {}],
    [
      'a version from a ship change',
      { author: 'ship:ship-a', origin: { shipId: 'ship-a', changeId: CHANGE_ID } },
    ],
    ['a deletion marker with its last data', { deleted: true }],
    ['a deletion marker without data', { deleted: true, data: {} }],
    ['a localised document', { locale: 'de' }],
  ])('accepts %s', (_name, overrides) => {
    expect(errorsOf(update(overrides))).toEqual([]);
  });

  it.each([
    ['version', 0, 'version: must be an integer ≥ 1'],
    ['deleted', 'false', 'deleted: must be true or false'],
    ['data', null, 'data: must be a JSON object'],
    ['author', 'alice', "author: must be 'master:<user>' or 'ship:<shipId>'"],
    ['author', 'ship:Ship A', "author: must be 'master:<user>' or 'ship:<shipId>'"],
    ['author', 'ship:master', "author: must be 'master:<user>' or 'ship:<shipId>'"],
    ['author', 'master:', "author: must be 'master:<user>' or 'ship:<shipId>'"],
    ['updatedAt', 'yesterday', 'updatedAt: must be an ISO-8601 date-time'],
    ['origin', null, 'origin: must be an object'],
    ['origin', [], 'origin: must be an object'],
    ['origin', { shipId: 'ship-a' }, 'origin.changeId: must be a lower-case UUIDv7'],
    ['origin', { shipId: 'master', changeId: CHANGE_ID }, 'origin.shipId: must be a ship id'],
    ['origin', { shipId: 'ship-a', changeId: CHANGE_ID, seq: 3 }, 'origin.seq: is not allowed'],
  ])('rejects %s = %j', (field, value, message) => {
    const errors = errorsOf(update({ [field]: value }));
    expect(errors).toHaveLength(1);
    expect(errors[0].startsWith(message)).toBe(true);
  });
});

describe('masterUpdateKey', () => {
  it('keys each (type, documentId, locale) apart', () => {
    expect(masterUpdateKey('article', DOCUMENT_ID, '')).toBe(`article/${DOCUMENT_ID}/`);
    expect(masterUpdateKey('article', DOCUMENT_ID, 'pt-BR')).toBe(`article/${DOCUMENT_ID}/pt-BR`);
    const keys = new Set(
      ['', 'en', 'de'].map((locale) => masterUpdateKey('article', DOCUMENT_ID, locale)),
    );
    expect(keys.size).toBe(3);
  });

  it('round-trips through parseMasterUpdateKey', () => {
    for (const locale of ['', 'en', 'zh-Hant-TW']) {
      expect(parseMasterUpdateKey(masterUpdateKey('page', DOCUMENT_ID, locale))).toEqual({
        type: 'page',
        documentId: DOCUMENT_ID,
        locale,
      });
    }
  });

  it.each([
    ['Article', DOCUMENT_ID, ''],
    ['article', 'x', ''],
    ['article', DOCUMENT_ID, 'en/US'],
  ])('refuses parts that would make an ambiguous key: %s %s %s', (type, id, locale) => {
    expect(() => masterUpdateKey(type, id, locale)).toThrow(RangeError);
  });

  it.each([
    '',
    'article',
    `article/${DOCUMENT_ID}`,
    `article/${DOCUMENT_ID}/en/x`,
    `Article/${DOCUMENT_ID}/`,
  ])('parses a foreign key %j as null', (key) => {
    expect(parseMasterUpdateKey(key)).toBeNull();
  });
});
