/** The address of one document version line: locale is part of it, so locales never meet. */
export interface DocumentRef {
  type: string;
  documentId: string;
  locale: string;
}

/** A map key for a DocumentRef (no part can contain '/'). */
export function refKey(ref: DocumentRef): string {
  return `${ref.type}/${ref.documentId}/${ref.locale}`;
}
