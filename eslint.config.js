import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** What the contracts must not load, even through another module (src/actions/contracts.ts). */
const HEAVY_SDKS = {
  group: ['@kubernetes/client-node', '@aws-sdk/*', 'execa', 'ioredis', '@slack/*'],
  message: 'contracts load no SDK: keep the client in the action, its contract in *-contract.ts.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'out/**', '*.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      // The domain is pure: no I/O, no adapters, no clock (DESIGN.md).
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'ioredis',
                '@slack/*',
                'execa',
                '@kubernetes/*',
                '@aws-sdk/*',
                'node:*',
                'fs',
                'child_process',
              ],
              message: 'src/domain is pure; inject a port instead.',
            },
            {
              group: ['../store/*', '../slack/*', '../actions/*', '../engine/*', '../cli/*', '../runbooks/*'],
              message: 'src/domain imports only src/domain.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/actions/**/*-contract.ts', 'src/actions/contracts.ts', 'src/actions/catalog.ts'],
    rules: {
      // lint, schema, export and --help load every contract: an SDK here would slow each of them by seconds.
      'no-restricted-imports': ['error', { patterns: [HEAVY_SDKS] }],
    },
  },
  {
    files: ['src/actions/contracts.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            HEAVY_SDKS,
            {
              regex: '^\\./(?!contract\\.js$)(?!.*-contract\\.js$)',
              message: "import the action's *-contract.ts, not its implementation (which loads its SDK).",
            },
          ],
        },
      ],
    },
  },
);
