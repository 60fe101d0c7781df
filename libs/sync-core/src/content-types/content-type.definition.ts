/** How the master settles a ship change that raced with someone else's edit (SPEC §4). */
export const CONFLICT_POLICIES = [
  'manual',
  'field-merge',
  'master-wins',
  'ship-wins',
  'last-write-wins',
] as const;
export type ConflictPolicyName = (typeof CONFLICT_POLICIES)[number];

export interface ContentTypeDefinition {
  /** Lower-case name used in URLs and messages, e.g. `article`. */
  name: string;
  policy: ConflictPolicyName;
  /** Whether documents of this type have locales; unlocalised documents use locale ''. */
  localized: boolean;
  /** JSON Schema (draft 2020-12 subset supported by ajv) for the document data. */
  schema?: Record<string, unknown>;
  /** Relation fields: field name → the content type its id(s) point to. */
  relations: Record<string, string>;
  /**
   * Top-level fields that stay on the node where they were written (see LocalOnlyFields), besides
   * those whose name matches SYNC_LOCAL_ONLY_PATTERN.
   */
  localOnly?: string[];
}
