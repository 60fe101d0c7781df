import type { ArgumentMetadata } from '@nestjs/common';
import { IsJsonObject } from '../contracts/wire-field.decorators';
import { createValidationPipe } from './validation-pipe.factory';
import { InputValidationException } from './input-validation.exception';

class DocumentBody {
  @IsJsonObject()
  data!: Record<string, unknown>;
}

const BODY: ArgumentMetadata = { type: 'body', metatype: DocumentBody, data: '' };

async function fieldErrorsOf(body: string): Promise<unknown> {
  try {
    await createValidationPipe().transform(JSON.parse(body), BODY);
    return 'accepted';
  } catch (error) {
    return error instanceof InputValidationException ? error.fieldErrors : error;
  }
}

describe('the global validation pipe', () => {
  it.each([
    ['{"data":{"a":{"constructor":"c"}}}', 'data.a.constructor'],
    ['{"data":{"list":[{"__proto__":{"admin":true}}]}}', 'data.list[0].__proto__'],
    ['{"data":{"prototype":1}}', 'data.prototype'],
    ['{"__proto__":{"x":1},"data":{}}', '__proto__'],
  ])('refuses %s, naming %s, instead of deleting the key and going on', async (body, field) => {
    expect(await fieldErrorsOf(body)).toEqual([
      { field, reason: 'is a reserved key (__proto__, constructor, prototype)' },
    ]);
  });

  it('keeps keys that name members of Object.prototype, and leaves the input as it was', async () => {
    const body: unknown = JSON.parse(
      '{"data":{"toString":"x","nested":{"valueOf":1,"hasOwnProperty":2}}}',
    );
    const passed = (await createValidationPipe().transform(body, BODY)) as DocumentBody;
    expect(passed).toBeInstanceOf(DocumentBody);
    expect(JSON.stringify(passed.data)).toBe(
      '{"toString":"x","nested":{"valueOf":1,"hasOwnProperty":2}}',
    );
  });

  it('still refuses unknown properties, naming them', async () => {
    expect(await fieldErrorsOf('{"data":{},"extra":1}')).toEqual([
      { field: 'extra', reason: 'property extra should not exist' },
    ]);
  });
});
