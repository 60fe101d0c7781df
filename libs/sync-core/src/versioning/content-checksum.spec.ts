import { LocalOnlyFields } from '../content-types/local-only-fields';
import { contentChecksum } from './content-checksum';

const a = {
  type: 'article',
  documentId: 'id-1',
  locale: 'en',
  version: 2,
  data: { title: 'A', n: 1 },
};
const b = { type: 'article', documentId: 'id-1', locale: 'fr', version: 1, data: { title: 'B' } };

describe('contentChecksum', () => {
  it('ignores document order and key order', () => {
    const reordered = { ...a, data: { n: 1, title: 'A' } };
    expect(contentChecksum([a, b])).toEqual(contentChecksum([b, reordered]));
    expect(contentChecksum([a, b]).documents).toBe(2);
  });

  it('changes with data, version, locale or membership', () => {
    const base = contentChecksum([a, b]).checksum;
    expect(contentChecksum([{ ...a, data: { title: 'A', n: 2 } }, b]).checksum).not.toBe(base);
    expect(contentChecksum([{ ...a, version: 3 }, b]).checksum).not.toBe(base);
    expect(contentChecksum([{ ...a, locale: 'de' }, b]).checksum).not.toBe(base);
    expect(contentChecksum([a]).checksum).not.toBe(base);
  });

  it('leaves local-only fields out: nodes holding different ones still agree', () => {
    const localOnly = new LocalOnlyFields(new Map([['article', new Set(['pinCode'])]]), /token$/i);
    const onShip = { ...a, data: { ...a.data, pinCode: '1234', authToken: 't-1' } };
    const onMaster = { ...a, data: { ...a.data, pinCode: '9876' } };
    expect(contentChecksum([onShip, b], localOnly)).toEqual(
      contentChecksum([onMaster, b], localOnly),
    );
    expect(contentChecksum([onShip, b], localOnly)).toEqual(contentChecksum([a, b]));
    expect(contentChecksum([onShip, b]).checksum).not.toBe(contentChecksum([onMaster, b]).checksum);
  });
});
