import {
  documentPath,
  documentText,
  firstDifference,
  readCommitted,
} from '../../../libs/api-client/codegen/api-contract';
import { masterOpenApiDocument } from './master-openapi';

describe('openapi/master.json', () => {
  it('is the document the code describes (else run `npm run openapi`)', async () => {
    const text = documentText(await masterOpenApiDocument());
    expect(firstDifference(text, readCommitted(documentPath('master')))).toBeNull();
  });
});
