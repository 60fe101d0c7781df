import type { Config } from 'jest';

const moduleNameMapper = {
  '^@offline-sync/sync-core$': '<rootDir>/libs/sync-core/src',
  '^@offline-sync/sync-core/(.*)$': '<rootDir>/libs/sync-core/src/$1',
};
// Type-checking is `npm run typecheck`; tests only transpile, which keeps them fast.
const transform = {
  '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }],
};

const config: Config = {
  projects: [
    {
      displayName: 'unit',
      rootDir: '.',
      testEnvironment: 'node',
      moduleFileExtensions: ['ts', 'js', 'json'],
      testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'],
      transform,
      moduleNameMapper,
    },
    {
      displayName: 'integration',
      rootDir: '.',
      testEnvironment: 'node',
      moduleFileExtensions: ['ts', 'js', 'json'],
      testMatch: ['<rootDir>/test/**/*.int-spec.ts', '<rootDir>/apps/**/*.int-spec.ts'],
      transform,
      moduleNameMapper,
      globalSetup: '<rootDir>/test/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
      testTimeout: 120000,
    },
  ],
};

export default config;
