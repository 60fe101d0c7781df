// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Apps never import each other; sync-core never imports an app. */
const STRUCTURE_ZONES = [
  { target: './apps/master', from: './apps/ship', message: 'apps never import each other' },
  { target: './apps/ship', from: './apps/master', message: 'apps never import each other' },
  {
    target: './libs/sync-core',
    from: './apps',
    message: 'sync-core is what the apps share: it never imports an app',
  },
];

/**
 * An app's core/ imports only core/, libs and packages, never a capability beside it (documents/,
 * outbox/, relay/...) nor the app's root: a capability that core needs is handed to it (an
 * injection token or interface core owns, a list the app passes in). Specs in core/ may also use
 * the app's test kits (testing/).
 */
const coreZones = (allowed) =>
  ['master', 'ship'].map((app) => ({
    target: `./apps/${app}/src/core`,
    from: `./apps/${app}/src`,
    except: allowed,
    message: 'core/ never imports a capability: hand it in through a token or interface core owns',
  }));
const SPEC_FILES = ['**/*.spec.ts', '**/*-spec.ts'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      '.cache/**',
      '.run/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'off',
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    // The structure (CONTRIBUTING.md, "Layout"): no import cycles, apps never import each other,
    // sync-core never imports an app.
    files: ['apps/master/src/**/*.ts', 'apps/ship/src/**/*.ts', 'libs/sync-core/src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@offline-sync/sync-core/testing',
              message: 'spec helpers never ship: import them from specs and test kits only',
            },
          ],
        },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: STRUCTURE_ZONES }],
    },
  },
  {
    files: ['apps/master/src/core/**/*.ts', 'apps/ship/src/core/**/*.ts'],
    ignores: SPEC_FILES,
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { zones: [...STRUCTURE_ZONES, ...coreZones(['./core'])] },
      ],
    },
  },
  {
    files: SPEC_FILES.map((spec) => `apps/*/src/core/${spec}`),
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { zones: [...STRUCTURE_ZONES, ...coreZones(['./core', './testing'])] },
      ],
    },
  },
  {
    files: [
      '**/*.spec.ts',
      '**/*-spec.ts',
      '**/testing/**/*.ts',
      '**/test/**/*.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
      'scripts/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      'no-console': 'off',
      'no-restricted-imports': 'off',
    },
  },
);
