import type { ValidationError } from 'class-validator';

export interface FieldError {
  /** Path of the offending field, e.g. `payload.changes[3].baseVersion`. */
  field: string;
  reason: string;
}

/** Flattens class-validator's nested errors into one entry per failed constraint, with full paths. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const result: FieldError[] = [];
  for (const error of errors) {
    const field = joinPath(parent, error.property);
    for (const message of Object.values(error.constraints ?? {})) {
      result.push({ field, reason: stripPropertyName(message, error.property) });
    }
    if (error.children && error.children.length > 0) {
      result.push(...flattenValidationErrors(error.children, field));
    }
  }
  return result;
}

export function formatFieldErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.reason}`).join('; ');
}

function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** class-validator messages start with the property name; the path already says it. */
function stripPropertyName(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
