import {
  API_APPS,
  clientTypesPath,
  clientTypesText,
  documentPath,
  firstDifference,
  readCommitted,
} from './api-contract';

describe('the typed client', () => {
  it.each(API_APPS)(
    'has the types of the committed %s document (else run `npm run openapi`)',
    (app) => {
      const document = JSON.parse(readCommitted(documentPath(app))) as object;
      const text = clientTypesText(app, document);
      expect(firstDifference(text, readCommitted(clientTypesPath(app)))).toBeNull();
    },
  );

  it('tells where two texts first differ', () => {
    expect(firstDifference('a\nb\n', 'a\nb\n')).toBeNull();
    expect(firstDifference('a\nb\n', 'a\nc\n')).toBe('line 2: committed "c", code "b"');
  });
});
