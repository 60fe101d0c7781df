import type { ArgumentMetadata } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { IsJsonObject } from '../contracts/wire-field.decorators';
import { InputValidationException } from './input-validation.exception';
import { MAX_INPUT_DEPTH } from './request-input';
import { createValidationPipe } from './validation-pipe.factory';

class DocumentBody {
  @IsJsonObject()
  data!: Record<string, unknown>;
}

class FilterQuery {
  @IsOptional()
  @IsString()
  ship?: string;
}

async function outcomeOf(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
  try {
    await createValidationPipe().transform(value, metadata);
    return 'accepted';
  } catch (error) {
    return error instanceof InputValidationException ? error.fieldErrors : error;
  }
}

const body = (json: string): Promise<unknown> =>
  outcomeOf(JSON.parse(json), { type: 'body', metatype: DocumentBody, data: '' });

const nested = (open: string, close: string, depth: number, leaf = '1'): string =>
  open.repeat(depth) + leaf + close.repeat(depth);

describe('request input the global pipe refuses before any validation', () => {
  const tooDeep = [
    { field: 'data.a', reason: `is nested more than ${MAX_INPUT_DEPTH} levels deep` },
  ];

  it.each([
    ['arrays', nested('[', ']', 2000, '')],
    ['objects', nested('{"b":', '}', 2000)],
    ['objects and arrays', nested('[{"b":', '}]', 1000)],
  ])('refuses %s nested 2,000 levels deep with a 400 naming the field', async (_, deep) => {
    expect(await body(`{"data":{"a":${deep}}}`)).toEqual(tooDeep);
  });

  it(`takes a document nested up to ${MAX_INPUT_DEPTH} levels deep (the body's own counted)`, async () => {
    // body → data → a → arrays: the body and data are two of the levels.
    expect(await body(`{"data":{"a":${nested('[', ']', MAX_INPUT_DEPTH - 2)}}}`)).toBe('accepted');
    expect(await body(`{"data":{"a":${nested('[', ']', MAX_INPUT_DEPTH - 1)}}}`)).toEqual(tooDeep);
  });

  it.each([
    ['a NUL character', 'a\u0000b', 'must not contain a NUL character (\\u0000)'],
    ['a lone surrogate', 'a\ud800b', 'must not contain a lone surrogate (unpaired UTF-16 half)'],
  ])('refuses %s in a query parameter, naming it', async (_, ship, reason) => {
    const metadata: ArgumentMetadata = { type: 'query', metatype: FilterQuery, data: '' };
    expect(await outcomeOf({ ship }, metadata)).toEqual([{ field: 'ship', reason }]);
  });

  it('refuses a NUL character in a path parameter, naming it', async () => {
    const metadata: ArgumentMetadata = { type: 'param', metatype: String, data: 'id' };
    expect(await outcomeOf('a\u0000b', metadata)).toEqual([
      { field: 'id', reason: 'must not contain a NUL character (\\u0000)' },
    ]);
  });

  it('leaves ordinary text, and values that are not request input, alone', async () => {
    const metadata: ArgumentMetadata = { type: 'query', metatype: FilterQuery, data: '' };
    expect(await outcomeOf({ ship: 'ship-a é 🚢' }, metadata)).toBe('accepted');
    const custom: ArgumentMetadata = { type: 'custom', metatype: String, data: '' };
    expect(await outcomeOf('a\u0000b', custom)).toBe('accepted');
  });
});
