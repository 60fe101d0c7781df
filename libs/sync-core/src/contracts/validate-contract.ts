import { validateSync, ValidationError, ValidatorOptions } from 'class-validator';
import { toContractInstance } from './contract-instance';
import { fastContractCheckFor } from './fast-contract-checks.registry';
import { isPlainObject } from './plain-object.util';
import { errorMessage } from '../errors/error-message';

export type ContractValidation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Same semantics as the apps' global ValidationPipe: unknown properties are errors. */
export const CONTRACT_VALIDATOR_OPTIONS: ValidatorOptions = Object.freeze({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: true },
});

/** class-validator's built-in constraint messages, reworded to follow "<path>: ". */
const BUILT_IN_MESSAGES: Record<string, string> = {
  whitelistValidation: 'is not allowed',
  nestedValidation: 'must be an object',
  unknownValue: 'must be an object',
};

const INDEX_PATTERN = /^\d+$/;

function joinPath(parentPath: string, property: string | undefined, parentIsArray = false): string {
  // class-validator leaves the property out when the value itself is wrong (not a contract object).
  if (property === undefined || property === '') {
    return parentPath;
  }
  if (parentIsArray && INDEX_PATTERN.test(property)) {
    return `${parentPath}[${property}]`;
  }
  if (property.startsWith('[')) {
    return parentPath + property;
  }
  return parentPath === '' ? property : `${parentPath}.${property}`;
}

function collect(
  errors: readonly ValidationError[],
  parentPath: string,
  parentIsArray: boolean,
  out: string[],
): void {
  for (const error of errors) {
    const path = joinPath(parentPath, error.property, parentIsArray);
    const constraints = Object.entries(error.constraints ?? {});
    // A property's own message says more than the generic nested one ("must be an object").
    const specific = constraints.filter(([name]) => name !== 'nestedValidation');
    const messages = new Set(
      (specific.length > 0 ? specific : constraints).map(
        ([name, text]) => BUILT_IN_MESSAGES[name] ?? text,
      ),
    );
    if (messages.size > 0) {
      out.push(`${path || '(root)'}: ${[...messages].join('; ')}`);
    }
    if (error.children && error.children.length > 0) {
      collect(error.children, path, Array.isArray(error.value), out);
    }
  }
}

/** class-validator errors as `root.path[3].field: reason` lines. */
export function formatValidationErrors(
  errors: readonly ValidationError[],
  rootPath = '',
): string[] {
  const out: string[] = [];
  collect(errors, rootPath, false, out);
  return out;
}

/**
 * Validates received JSON against a contract class outside Nest (e.g. a ship applying a master
 * update), with the whitelist semantics of the HTTP and Kafka handlers: unknown properties are
 * errors, never silently dropped. `rootPath` prefixes every error path (e.g. 'payload'). The value
 * returned holds the received document data as it came (same object references).
 *
 * Hot contracts first go through their fast check (fast-contract-checks.registry.ts), which
 * accepts only what the decorators accept and builds the same value; anything else, valid or
 * not, goes through the decorators, so verdicts and error messages are theirs alone.
 */
export function validateContract<T extends object>(
  cls: new () => T,
  plain: unknown,
  rootPath = '',
): ContractValidation<T> {
  if (!isPlainObject(plain)) {
    return { ok: false, errors: [`${rootPath || '(root)'}: must be a JSON object`] };
  }
  const value = fastValidated(cls, plain);
  return value === undefined ? validateWithDecorators(cls, plain, rootPath) : { ok: true, value };
}

function fastValidated<T extends object>(
  cls: new () => T,
  plain: Record<string, unknown>,
): T | undefined {
  const check = fastContractCheckFor(cls);
  try {
    return check?.(plain);
  } catch {
    // Hostile input (e.g. a getter that throws): the decorators' path words the refusal.
    return undefined;
  }
}

/**
 * validateContract without the fast checks: class-validator against the decorators. The reference
 * the fast checks are tested and measured against.
 */
export function validateWithDecorators<T extends object>(
  cls: new () => T,
  plain: Record<string, unknown>,
  rootPath = '',
): ContractValidation<T> {
  try {
    const reservedKeyPaths: string[] = [];
    const value = toContractInstance(cls, plain, reservedKeyPaths);
    const errors = [
      ...reservedKeyPaths.map((path) => `${joinPath(rootPath, path)}: is not allowed`),
      ...formatValidationErrors(validateSync(value, CONTRACT_VALIDATOR_OPTIONS), rootPath),
    ];
    return errors.length === 0 ? { ok: true, value } : { ok: false, errors };
  } catch (error) {
    // E.g. data nested too deep to walk: a refusal like any other, never an exception.
    const reason = errorMessage(error);
    return { ok: false, errors: [`${rootPath || '(root)'}: could not be validated (${reason})`] };
  }
}
