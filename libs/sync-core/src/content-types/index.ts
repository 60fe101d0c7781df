export * from './content-type.definition';
export * from './content-type.parser';
export * from './content-type.registry';
export * from './local-only-fields';
