import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ConflictPolicyName, ContentTypeDefinition } from './content-type.definition';
import { CONTENT_TYPE_NAME, type ContentTypeDeclaration } from './content-type.parser';
import { LocalOnlyFields } from './local-only-fields';
import type { FieldError } from '../nest/validation-errors';
import { errorMessage } from '../errors/error-message';

/**
 * The content types this deployment syncs, with their compiled schemas. Both apps enforce the
 * same schemas, so a document the ship accepted is one the master accepts.
 */
export class ContentTypeRegistry {
  private readonly types = new Map<string, ContentTypeDefinition>();
  private readonly validators = new Map<string, ValidateFunction>();
  /** Fields that never leave the node where they were written. */
  readonly localOnly: LocalOnlyFields;

  /** `localOnlyPattern`: SYNC_LOCAL_ONLY_PATTERN, parsed (null: names alone decide nothing). */
  constructor(
    private readonly declaration: ContentTypeDeclaration,
    localOnlyPattern: RegExp | null = null,
  ) {
    this.localOnly = new LocalOnlyFields(
      new Map(declaration.types.map((type) => [type.name, new Set(type.localOnly ?? [])])),
      localOnlyPattern,
    );
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    for (const type of declaration.types) {
      this.types.set(type.name, type);
      if (type.schema) {
        try {
          this.validators.set(type.name, ajv.compile(type.schema));
        } catch (error) {
          throw new Error(
            `content type "${type.name}": invalid JSON Schema (${errorMessage(error)})`,
            { cause: error },
          );
        }
      }
    }
  }

  /** The definition of `name`, or undefined when this deployment does not sync that type. */
  get(name: string): ContentTypeDefinition | undefined {
    const declared = this.types.get(name);
    if (declared) return declared;
    if (this.declaration.anyType && CONTENT_TYPE_NAME.test(name)) {
      return { name, policy: 'manual', localized: true, relations: {} };
    }
    return undefined;
  }

  list(): ContentTypeDefinition[] {
    return [...this.types.values()];
  }

  acceptsAnyType(): boolean {
    return this.declaration.anyType;
  }

  policyOf(name: string): ConflictPolicyName {
    return this.get(name)?.policy ?? 'manual';
  }

  /** Validates full document data against the type's schema; [] when valid or schema-less. */
  validate(name: string, data: Record<string, unknown>): FieldError[] {
    const validator = this.validators.get(name);
    if (!validator || validator(data)) return [];
    return (validator.errors ?? []).map(toFieldError);
  }
}

function toFieldError(error: ErrorObject): FieldError {
  const path = error.instancePath
    .split('/')
    .filter((p) => p !== '')
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
  const missing = error.keyword === 'required' ? String(error.params.missingProperty) : undefined;
  const extra =
    error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : undefined;
  const field = [path, missing ?? extra].filter((p) => p).join('.') || '(document)';
  return {
    field: `data.${field}`.replace(/^data\.\(document\)$/, 'data'),
    reason: error.message ?? error.keyword,
  };
}
