import type { ArgumentMetadata, Type } from '@nestjs/common';
import { createValidationPipe, InputValidationException } from '@offline-sync/sync-core';
import { ResolveConflictDto } from '../../conflicts/dto/resolve-conflict.dto';
import { CreateContentDto, UpdateContentDto } from './content.dto';

async function passed(metatype: Type, json: string): Promise<unknown> {
  const metadata: ArgumentMetadata = { type: 'body', metatype, data: '' };
  try {
    return await createValidationPipe().transform(JSON.parse(json), metadata);
  } catch (error) {
    return error instanceof InputValidationException ? error.fieldErrors : error;
  }
}

/** Keys that name members of Object.prototype are ordinary document fields. */
const DATA = '{"title":"x","toString":"t","valueOf":{"hasOwnProperty":1}}';

describe("the master's document bodies", () => {
  it.each([
    ['a create', CreateContentDto, `{"data":${DATA}}`, 'data'],
    ['an update', UpdateContentDto, `{"data":${DATA}}`, 'data'],
    ['a merge', ResolveConflictDto, `{"strategy":"merge","mergeData":${DATA}}`, 'mergeData'],
  ])('keep every key of %s, as received', async (_, metatype, json, field) => {
    const body = (await passed(metatype, json)) as Record<string, unknown>;
    expect(body).toBeInstanceOf(metatype);
    expect(JSON.stringify(body[field])).toBe(DATA);
  });

  it.each([
    [CreateContentDto, '{"data":{"a":{"__proto__":1}}}', 'data.a.__proto__'],
    [
      ResolveConflictDto,
      '{"strategy":"merge","mergeData":{"constructor":1}}',
      'mergeData.constructor',
    ],
  ])('refuse a reserved key, naming where (%p)', async (metatype, json, field) => {
    expect(await passed(metatype, json)).toEqual([
      { field, reason: 'is a reserved key (__proto__, constructor, prototype)' },
    ]);
  });

  it.each([
    [CreateContentDto, '{"data":[1]}', 'data'],
    [UpdateContentDto, '{"data":"x"}', 'data'],
    [ResolveConflictDto, '{"strategy":"merge","mergeData":null}', 'mergeData'],
  ])('refuse data that is not a JSON object, naming it (%p)', async (metatype, json, field) => {
    const errors = (await passed(metatype, json)) as Array<{ field: string; reason: string }>;
    expect(errors.map((e) => e.field)).toEqual([field]);
    expect(errors[0].reason).toMatch(/must be a JSON object/);
  });
});
