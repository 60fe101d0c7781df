import Ajv, { type ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { isWireTimestamp } from './wire-field.predicates';
import { MESSAGE_KEYWORD, WIRE_DATE_TIME_FORMAT, WIRE_KEYWORDS } from './wire-schema.vocabulary';

/**
 * Compiles wire contract schemas with Ajv, twice over: `check` stops at the first failure and
 * builds no error (every received message goes through it); `explain`, compiled on the first
 * refusal, collects every failure with the data it concerns, for the error messages.
 */
function newAjv(explain: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: explain,
    verbose: explain,
    messages: explain,
    strict: true,
    // Rules across fields constrain a property in an `if`/`then` branch without repeating its type.
    strictTypes: false,
    allowUnionTypes: true,
    // The patterns are JavaScript's, as written in wire-patterns.constants (no `u` flag).
    unicodeRegExp: false,
  });
  ajv.addKeyword({ keyword: MESSAGE_KEYWORD, schemaType: 'string' });
  for (const { keyword, type, isValid } of WIRE_KEYWORDS) {
    ajv.addKeyword({
      keyword,
      type,
      schemaType: 'boolean',
      errors: false,
      validate: (enabled: boolean, data: unknown) => !enabled || isValid(data),
    });
  }
  ajv.addFormat(WIRE_DATE_TIME_FORMAT, { type: 'string', validate: isWireTimestamp });
  return ajv;
}

let checking: Ajv | undefined;
let explaining: Ajv | undefined;

interface CompiledContract {
  check: ValidateFunction;
  explain?: ValidateFunction;
}

const compiled = new WeakMap<TSchema, CompiledContract>();

function compiledContract(schema: TSchema): CompiledContract {
  let found = compiled.get(schema);
  if (found === undefined) {
    checking ??= newAjv(false);
    found = { check: checking.compile(schema) };
    compiled.set(schema, found);
  }
  return found;
}

/** The verdict on `data` (which may throw, e.g. on a getter that throws). */
export function checkContract(schema: TSchema, data: unknown): boolean {
  return compiledContract(schema).check(data);
}

/** Every failure of `data` (none when it is valid), with `verbose` detail. */
export function explainContract(schema: TSchema, data: unknown): ValidateFunction['errors'] {
  const contract = compiledContract(schema);
  if (contract.explain === undefined) {
    explaining ??= newAjv(true);
    contract.explain = explaining.compile(schema);
  }
  return contract.explain(data) ? [] : contract.explain.errors;
}
