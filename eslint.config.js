import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.data/**',
      '.temporal/**',
      'bench/results/**',
      'test/artifacts/**',
      'web/dist/**',
      'eslint.config.js',
      // CommonJS glue (the mocha reporter) sits outside the TypeScript project.
      '**/*.cjs',
    ],
  },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code is replayed deterministically inside Temporal's sandbox: no Node built-ins, I/O libraries or clocks.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'net', 'child_process', 'os'],
              message: 'Workflows must be deterministic: no Node built-ins.',
            },
            {
              group: [
                'sequelize',
                'pg',
                'express',
                'resend',
                '@temporalio/client',
                '@temporalio/worker',
                '../models/*',
                '../api/*',
                '../emails/*',
              ],
              message: 'Workflows reach side effects only through activities.',
            },
            {
              group: ['../activities/*', '../activities'],
              importNamePattern: '^(?!type )',
              allowTypeImports: true,
              message: 'Import activities as types only.',
            },
          ],
        },
      ],
    },
  },
);
