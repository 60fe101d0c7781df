import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export interface ChecksumDocument {
  type: string;
  documentId: string;
  locale: string;
  version: number;
  data: Record<string, unknown>;
}

export interface ContentChecksum {
  /** SHA-256 (hex) over every live document's key, version and canonical data, in key order. */
  checksum: string;
  documents: number;
}

/**
 * A fingerprint of a node's content: equal on the master and a ship exactly when both hold the
 * same live documents at the same versions with the same data. Deleted documents are left out.
 */
export function contentChecksum(documents: Iterable<ChecksumDocument>): ContentChecksum {
  const lines: string[] = [];
  for (const doc of documents) {
    lines.push(
      `${doc.type}\u0000${doc.documentId}\u0000${doc.locale}\u0000${doc.version}\u0000${canonicalize(doc.data) ?? 'null'}`,
    );
  }
  lines.sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  return { checksum: hash.digest('hex'), documents: lines.length };
}
