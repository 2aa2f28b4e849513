import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
);
