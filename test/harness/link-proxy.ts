/** The link simulator lives with the scripts (the up command uses it too). */
export * from '../../scripts/link/link-proxy';
