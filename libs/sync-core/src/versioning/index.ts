export * from './change-decision';
export * from './conflict-policy';
export * from './decide-ship-change';
export * from './diff-fields';
export * from './json-equal';
export * from './merge-fields';
export * from './content-checksum';
export * from './document-size';
