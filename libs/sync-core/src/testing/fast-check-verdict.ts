import type { ArgumentMetadata, Type } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { SYNC_VALIDATION_OPTIONS, SyncValidationPipe } from '../nest/validation-pipe.factory';

/** The global pipe without any fast check: what every fast check must agree with. */
const reference = new SyncValidationPipe(SYNC_VALIDATION_OPTIONS);

/**
 * How a fast check (FastParameterCheck.fast) fares on `raw` against the pipe's own checks, for
 * the specs that hold each fast check to the pipe: 'declined' (left to the pipe), 'agrees' (the
 * pipe accepts and returns an equal value) or 'differs'. Both sides get a copy of `raw`, made in
 * the same realm. Node's deep equality, not Jest's: Jest tells objects apart by their
 * `constructor` property, which free-form data may well hold as a key of its own.
 */
export async function fastCheckVerdict(
  fast: (raw: unknown) => object | undefined,
  metatype: Type,
  raw: unknown,
): Promise<'declined' | 'agrees' | 'differs'> {
  const taken = fast(structuredClone(raw));
  if (taken === undefined) return 'declined';
  const metadata: ArgumentMetadata = { type: 'body', metatype, data: '' };
  try {
    const value = await reference.transformChecked(structuredClone(raw), metadata);
    return isDeepStrictEqual(value, taken) ? 'agrees' : 'differs';
  } catch {
    return 'differs';
  }
}
