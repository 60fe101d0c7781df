import type { ArgumentMetadata } from '@nestjs/common';
import { InputValidationException } from './input-validation.exception';
import { PaginationQueryDto } from './pagination-query.dto';
import { createValidationPipe } from './validation-pipe.factory';

const QUERY: ArgumentMetadata = { type: 'query', metatype: PaginationQueryDto, data: '' };

async function outcomeOf(query: Record<string, string>): Promise<unknown> {
  try {
    const passed = (await createValidationPipe().transform(query, QUERY)) as PaginationQueryDto;
    return { page: passed.page, pageSize: passed.pageSize };
  } catch (error) {
    return error instanceof InputValidationException ? error.fieldErrors : error;
  }
}

describe('PaginationQueryDto', () => {
  it('takes page and pageSize as query strings, with defaults', async () => {
    expect(await outcomeOf({})).toEqual({ page: 1, pageSize: 50 });
    expect(await outcomeOf({ page: '3', pageSize: '500' })).toEqual({ page: 3, pageSize: 500 });
  });

  it.each([
    // Beyond any list either app holds; the offset it makes would overflow the databases' integers.
    ['page', '79204909641382329237635072', 'must be at most 1000000'],
    ['page', '3040587052794810368', 'must be at most 1000000'],
    ['page', '0', 'must be at least 1'],
    ['page', '1.5', 'must be an integer'],
    ['pageSize', '501', 'must be at most 500'],
  ])('refuses %s=%s, naming it', async (field, value, reason) => {
    expect(await outcomeOf({ [field]: value })).toEqual([{ field, reason }]);
  });
});
