import type { Static, TSchema } from '@sinclair/typebox';
import { checkContract, explainContract } from './wire-contract.compiler';
import { formatContractErrors } from './wire-contract.errors';
import { isPlainObject } from './plain-object.util';

export type ContractValidation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

function failure(rootPath: string, reason: string): { ok: false; errors: string[] } {
  return { ok: false, errors: [`${rootPath || '(root)'}: ${reason}`] };
}

/**
 * Validates received JSON against a wire contract schema: unknown properties are errors, never
 * silently dropped. `rootPath` prefixes every error path (e.g. 'payload'). The value returned is
 * the received object itself, typed: document data stays as it came.
 *
 * The schema's compiled check decides; a refused value goes through the same schema compiled to
 * collect every failure, which names each field and its reason.
 */
export function validateContract<S extends TSchema>(
  contract: S,
  plain: unknown,
  rootPath = '',
): ContractValidation<Static<S>> {
  if (!isPlainObject(plain)) {
    return failure(rootPath, 'must be a JSON object');
  }
  try {
    if (checkContract(contract, plain)) {
      return { ok: true, value: plain };
    }
    const errors = formatContractErrors(
      explainContract(contract, plain) ?? [],
      contract,
      plain,
      rootPath,
    );
    return errors.length > 0 ? { ok: false, errors } : failure(rootPath, 'is not valid');
  } catch (error) {
    // E.g. data nested too deep to walk: a refusal like any other, never an exception.
    const reason = error instanceof Error ? error.message : String(error);
    return failure(rootPath, `could not be validated (${reason})`);
  }
}
