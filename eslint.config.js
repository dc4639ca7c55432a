// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'test-artifacts/**', '.scratch/**', '**/*.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: {
        console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly',
        clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly',
        TextEncoder: 'readonly', TextDecoder: 'readonly', crypto: 'readonly', fetch: 'readonly',
        WebAssembly: 'readonly', globalThis: 'readonly', structuredClone: 'readonly', AbortController: 'readonly',
        window: 'readonly', document: 'readonly', navigator: 'readonly', Blob: 'readonly', File: 'readonly',
        Response: 'readonly', Request: 'readonly', Headers: 'readonly', FormData: 'readonly', queueMicrotask: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The server's edges call services; a use case's transaction is opened in services/ (one way:
    // OpenDatabase.transaction), never in a route, a job registration or a command. Imports are checked by
    // dependency-cruiser (.dependency-cruiser.mjs); this catches `app.services.database.transaction(...)`.
    files: ['packages/server/src/{http,jobs,cli,config}/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='transaction']", message: 'Edges open no transactions: call a service in services/, which opens one.' },
      ],
    },
  },
);
