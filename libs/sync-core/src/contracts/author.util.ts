import { SHIP_ID_PATTERN } from './wire-patterns.constants';

/**
 * Who made a revision: `master:<user>` for edits on the master (API users, resolutions) or
 * `ship:<shipId>` for accepted ship changes. Conflict detection compares these strings, so they are
 * built only through the helpers below.
 */
export type Author = `master:${string}` | `ship:${string}`;

const MASTER_USER_PATTERN = /^[^\s]{1,128}$/;

/** `master:<user>` or `ship:<shipId>`. */
export const AUTHOR_PATTERN = new RegExp(
  `^(?:master:[^\\s]{1,128}|ship:(?!master$)${SHIP_ID_PATTERN.source.slice(1, -1)})$`,
);

export function shipAuthor(shipId: string): Author {
  return `ship:${shipId}`;
}

export function masterAuthor(user: string): Author {
  if (!MASTER_USER_PATTERN.test(user)) {
    throw new RangeError(
      `master user must be 1-128 characters without spaces, got ${JSON.stringify(user)}`,
    );
  }
  return `master:${user}`;
}

export function isAuthor(value: unknown): value is Author {
  return typeof value === 'string' && AUTHOR_PATTERN.test(value);
}

export type ParsedAuthor = { side: 'master'; user: string } | { side: 'ship'; shipId: string };

export function parseAuthor(author: string): ParsedAuthor | null {
  if (!isAuthor(author)) {
    return null;
  }
  const colon = author.indexOf(':');
  const rest = author.slice(colon + 1);
  return author.startsWith('ship:')
    ? { side: 'ship', shipId: rest }
    : { side: 'master', user: rest };
}
