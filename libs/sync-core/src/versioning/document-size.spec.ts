import {
  MAX_DOCUMENT_BYTES,
  documentTooLargeReason,
  oversizedDocumentBytes,
} from './document-size';

/** `{"a":"<text>"}` is the text plus 8 characters of JSON. */
const withText = (text: string) => ({ a: text });
const ascii = (bytes: number) => withText('x'.repeat(bytes - 8));

describe('oversizedDocumentBytes', () => {
  it.each([
    ['an empty document', {}, null],
    ['a small document', { title: 'Harbour closed', tags: ['port'] }, null],
    ['ASCII exactly at the cap', ascii(MAX_DOCUMENT_BYTES), null],
    ['ASCII one byte over the cap', ascii(MAX_DOCUMENT_BYTES + 1), MAX_DOCUMENT_BYTES + 1],
    ['a 3 MiB document', ascii(3 * 1024 * 1024), 3 * 1024 * 1024],
    // 3 bytes of UTF-8 per character: short in characters, over the cap in bytes.
    ['text over the cap only in UTF-8 bytes', withText('€'.repeat(90_000)), 270_008],
    ['text under the cap in UTF-8 bytes', withText('€'.repeat(87_000)), null],
    ['two-unit characters (4 bytes each)', withText('😀'.repeat(70_000)), 280_008],
  ])('%s', (_name, data, expected) => {
    expect(oversizedDocumentBytes(data)).toBe(expected);
  });

  it('measures the JSON text it is given instead of serialising again', () => {
    const text = 'x'.repeat(MAX_DOCUMENT_BYTES + 10);
    expect(oversizedDocumentBytes({}, text)).toBe(MAX_DOCUMENT_BYTES + 10);
    expect(oversizedDocumentBytes({ big: text }, '{}')).toBeNull();
  });

  it('names the size and the limit', () => {
    expect(documentTooLargeReason(300_000)).toBe(
      `is 300000 bytes of JSON, over the ${MAX_DOCUMENT_BYTES}-byte document size limit`,
    );
  });
});
