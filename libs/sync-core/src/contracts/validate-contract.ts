import type { Static, TSchema } from '@sinclair/typebox';
import { checkContract, explainContract } from './wire-contract.compiler';
import { type ContractFieldError, contractFieldErrors } from './wire-contract.errors';
import { isPlainObject } from './plain-object.util';
import { errorMessage } from '../errors/error-message';

export type ContractValidation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export type { ContractFieldError };

/**
 * Validates received JSON against a wire contract schema: unknown properties are errors, never
 * silently dropped. `rootPath` prefixes every error path (e.g. 'payload'). The value returned is
 * the received object itself, typed: document data stays as it came. Errors read
 * `payload.changes[3].baseVersion: must be an integer ≥ 0`, one line per field.
 */
export function validateContract<S extends TSchema>(
  contract: S,
  plain: unknown,
  rootPath = '',
): ContractValidation<Static<S>> {
  const result = validateContractFields(contract, plain, rootPath);
  return result.ok
    ? result
    : {
        ok: false,
        errors: result.errors.map(({ field, reason }) => `${field || '(root)'}: ${reason}`),
      };
}

/**
 * validateContract with each refused field apart (for the validation pipe's field errors). The
 * schema's compiled check decides; a refused value goes through the same schema compiled to
 * collect every failure.
 */
export function validateContractFields<S extends TSchema>(
  contract: S,
  plain: unknown,
  rootPath = '',
): { ok: true; value: Static<S> } | { ok: false; errors: ContractFieldError[] } {
  if (!isPlainObject(plain)) {
    return { ok: false, errors: [{ field: rootPath, reason: 'must be a JSON object' }] };
  }
  try {
    if (checkContract(contract, plain)) {
      return { ok: true, value: plain };
    }
    const errors = contractFieldErrors(
      explainContract(contract, plain) ?? [],
      contract,
      plain,
      rootPath,
    );
    return {
      ok: false,
      errors: errors.length > 0 ? errors : [{ field: rootPath, reason: 'is not valid' }],
    };
  } catch (error) {
    // E.g. data nested too deep to walk: a refusal like any other, never an exception.
    const reason = errorMessage(error);
    return {
      ok: false,
      errors: [{ field: rootPath, reason: `could not be validated (${reason})` }],
    };
  }
}
