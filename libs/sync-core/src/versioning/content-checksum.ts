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

/** What a checksum leaves out of each document's data. */
export interface ChecksumExclusions {
  strip<T extends Readonly<Record<string, unknown>>>(type: string, data: T): T;
}

/**
 * A fingerprint of a node's content: equal on the master and a ship exactly when both hold the
 * same live documents at the same versions with the same synced data. Deleted documents are left
 * out, and so are local-only fields (`localOnly`): they differ between nodes by design.
 */
export function contentChecksum(
  documents: Iterable<ChecksumDocument>,
  localOnly?: ChecksumExclusions,
): ContentChecksum {
  const lines: string[] = [];
  for (const doc of documents) {
    const data = localOnly ? localOnly.strip(doc.type, doc.data) : doc.data;
    lines.push(
      `${doc.type}\u0000${doc.documentId}\u0000${doc.locale}\u0000${doc.version}\u0000${canonicalize(data) ?? 'null'}`,
    );
  }
  lines.sort();
  const hash = createHash('sha256');
  for (const line of lines) hash.update(line).update('\n');
  return { checksum: hash.digest('hex'), documents: lines.length };
}
