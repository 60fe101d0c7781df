import { parseContentTypes } from './content-type.parser';
import { ContentTypeRegistry } from './content-type.registry';

describe('parseContentTypes', () => {
  it('accepts any type when empty (the seed default "All types")', () => {
    const registry = new ContentTypeRegistry(parseContentTypes(''));
    expect(registry.get('anything')).toMatchObject({ name: 'anything', policy: 'manual' });
    expect(registry.get('Not Valid')).toBeUndefined();
  });

  it('parses a list with policies and seed-style uids', () => {
    const { types } = parseContentTypes('article:field-merge, author ,api::product.product');
    expect(types.map((t) => [t.name, t.policy])).toEqual([
      ['article', 'field-merge'],
      ['author', 'manual'],
      ['product', 'manual'],
    ]);
  });

  it('parses JSON with schema and relations, and validates documents with it', () => {
    const registry = new ContentTypeRegistry(
      parseContentTypes(
        JSON.stringify({
          author: { localized: false, schema: { type: 'object', required: ['name'] } },
          article: {
            policy: 'last-write-wins',
            relations: { author: 'author' },
            schema: {
              type: 'object',
              properties: { title: { type: 'string', maxLength: 5 } },
              additionalProperties: false,
            },
          },
        }),
      ),
    );
    expect(registry.get('author')?.localized).toBe(false);
    expect(registry.policyOf('article')).toBe('last-write-wins');
    expect(registry.get('unknown')).toBeUndefined();
    expect(registry.validate('author', {})).toEqual([
      { field: 'data.name', reason: "must have required property 'name'" },
    ]);
    expect(registry.validate('article', { title: 'too long', extra: 1 })).toEqual(
      expect.arrayContaining([
        { field: 'data.title', reason: 'must NOT have more than 5 characters' },
        { field: 'data.extra', reason: 'must NOT have additional properties' },
      ]),
    );
    expect(registry.validate('article', { title: 'ok' })).toEqual([]);
  });

  it.each([
    ['Bad Name', /not a valid content type name/],
    ['{"a": {"policy": "whatever"}}', /policy must be one of/],
    ['{"a": {"relations": {"b": "missing"}}}', /points to unknown type "missing"/],
    ['{"a": {"colour": 1}}', /unknown key\(s\) colour/],
    ['{oops', /not valid JSON/],
    ['@/nonexistent/types.json', /cannot read/],
    ['{"a": {"localOnly": "pinCode"}}', /localOnly must be a list of field names/],
    ['{"a": {"localOnly": [""]}}', /localOnly must be a list of field names/],
    [
      '{"a": {"localOnly": ["pinCode"], "schema": {"type": "object", "required": ["pinCode"]}}}',
      /local-only field\(s\) pinCode cannot be required/,
    ],
  ])('rejects %s', (value, message) => {
    expect(() => parseContentTypes(value)).toThrow(message);
  });

  it('reads localOnly fields and gives them to the registry', () => {
    const declaration = parseContentTypes('{"crew-member": {"localOnly": ["pinCode"]}}');
    expect(declaration.types[0].localOnly).toEqual(['pinCode']);
    const registry = new ContentTypeRegistry(declaration, /password$/i);
    expect(registry.localOnly.isLocalOnly('crew-member', 'pinCode')).toBe(true);
    expect(registry.localOnly.isLocalOnly('crew-member', 'password')).toBe(true);
    expect(registry.localOnly.isLocalOnly('crew-member', 'name')).toBe(false);
  });
});
