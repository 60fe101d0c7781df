import {
  documentPath,
  documentText,
  firstDifference,
  readCommitted,
} from '../../../libs/api-client/codegen/api-contract';
import { shipOpenApiDocument } from './ship-openapi';

describe('openapi/ship.json', () => {
  it('is the document the code describes (else run `npm run openapi`)', async () => {
    const text = documentText(await shipOpenApiDocument());
    expect(firstDifference(text, readCommitted(documentPath('ship')))).toBeNull();
  });
});
