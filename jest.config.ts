import type { Config } from 'jest';

const moduleNameMapper = {
  '^@offline-sync/sync-core$': '<rootDir>/libs/sync-core/src',
  '^@offline-sync/sync-core/testing$': '<rootDir>/libs/sync-core/src/testing',
  '^@offline-sync/api-client$': '<rootDir>/libs/api-client/src',
};
// Type-checking is `npm run typecheck`; tests only transpile (swc), which keeps them fast.
const transform: Config['transform'] = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', decorators: true },
        transform: {
          legacyDecorator: true,
          decoratorMetadata: true,
          useDefineForClassFields: false,
        },
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};

// Crawl only the code: .cache/ holds downloaded toolchains with thousands of files.
const roots = ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'];

const config: Config = {
  projects: [
    {
      displayName: 'unit',
      rootDir: '.',
      roots,
      testEnvironment: 'node',
      moduleFileExtensions: ['ts', 'js', 'json'],
      testMatch: [
        '<rootDir>/apps/**/*.spec.ts',
        '<rootDir>/libs/**/*.spec.ts',
        '<rootDir>/test/chaos/**/*.spec.ts',
        '<rootDir>/test/harness/**/*.spec.ts',
        '<rootDir>/test/platform/**/*.spec.ts',
      ],
      transform,
      moduleNameMapper,
    },
    {
      displayName: 'integration',
      rootDir: '.',
      roots,
      testEnvironment: 'node',
      moduleFileExtensions: ['ts', 'js', 'json'],
      testMatch: [
        '<rootDir>/test/**/*.int-spec.ts',
        '<rootDir>/apps/**/*.int-spec.ts',
        '<rootDir>/libs/**/*.int-spec.ts',
      ],
      transform,
      moduleNameMapper,
      globalSetup: '<rootDir>/test/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/harness/integration-setup.ts'],
    },
    {
      // Whole fleets as real processes; run after the integration tests, one file at a time.
      displayName: 'e2e',
      rootDir: '.',
      roots,
      testEnvironment: 'node',
      moduleFileExtensions: ['ts', 'js', 'json'],
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      transform,
      moduleNameMapper,
      globalSetup: '<rootDir>/test/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/harness/e2e-setup.ts'],
    },
    {
      // Both apps' APIs fuzzed from their OpenAPI documents (Schemathesis), as processes.
      displayName: 'contract',
      rootDir: '.',
      roots,
      testEnvironment: 'node',
      moduleFileExtensions: ['ts', 'js', 'json'],
      testMatch: ['<rootDir>/test/contract/**/*.contract-spec.ts'],
      transform,
      moduleNameMapper,
      globalSetup: '<rootDir>/test/harness/global-setup.ts',
      globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/harness/e2e-setup.ts'],
    },
  ],
};

export default config;
