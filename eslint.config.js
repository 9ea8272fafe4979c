// Lint rules, including the dependency direction of DEVELOPERS.md / ARCHITECTURE.md:
// widget → ui → store → {sip, media}; sip imports nothing from the project; media never imports sip or store.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import globals from 'globals';

const forbid = (...groups) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: groups.map(([group, message]) => ({ group, message })),
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.tmp/**',
      'test-results/**',
      'playwright-report/**',
      '**/__fixtures__/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'import-x/no-cycle': 'error',
      eqeqeq: ['error', 'smart'],
    },
    // An exports-aware resolver: packages such as vite expose only `exports`, no `main`.
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'] })],
      // Without this, import-x cannot parse the .ts files it resolves, and no-cycle sees nothing.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
  },
  {
    files: ['src/sip/**/*.ts'],
    ignores: ['src/sip/**/*.test.ts', 'src/sip/testing/**'],
    rules: {
      ...forbid(
        [
          ['**/media/**', '**/store/**', '**/ui/**', '**/widget/**'],
          'src/sip is framework-free: it imports nothing from the rest of the project.',
        ],
        [
          ['react', 'react-dom', 'react/*', 'zustand', 'zustand/*', 'sdp-transform', 'ws', 'node:*'],
          'src/sip runs in the browser and in Node without frameworks: inject the world instead.',
        ],
      ),
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'navigator',
        'localStorage',
        'setTimeout',
        'setInterval',
        'Buffer',
        'process',
      ],
    },
  },
  {
    files: ['src/media/**/*.ts'],
    rules: forbid([
      ['**/sip/**', '**/sip', '**/store/**', '**/ui/**', '**/widget/**'],
      'src/media knows only WebRTC: it never imports sip, store, ui or widget.',
    ]),
  },
  {
    files: ['src/phone/**/*.ts'],
    rules: forbid(
      [
        ['**/store/**', '**/ui/**', '**/widget/**', 'react', 'react-dom', 'zustand', 'zustand/*'],
        'src/phone glues sip and media; it knows nothing above it.',
      ],
      [
        ['**/sip/*/**', '!**/sip/index', '**/media/*/**', '!**/media/index'],
        'Import sip and media only through their index files.',
      ],
    ),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: forbid(
      [
        ['**/ui/**', '**/widget/**', 'react', 'react-dom'],
        'The store is framework-free (zustand/vanilla) and never imports the UI.',
      ],
      [['**/sip/*/**', '!**/sip/index'], 'Import the SIP core only through src/sip/index.ts.'],
    ),
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: forbid([
      ['**/sip', '**/sip/**', '**/media', '**/media/**', '**/widget/**'],
      'The UI talks only to the store.',
    ]),
  },
  {
    files: ['**/*.test.ts', 'e2e/**', 'bench/**', 'scripts/**', 'test/**', 'src/sip/testing/**'],
    rules: { 'no-restricted-globals': 'off', 'no-restricted-imports': 'off' },
  },
  {
    files: ['scripts/**/*.{js,mjs}', '*.config.{js,ts}'],
    languageOptions: { globals: globals.node },
  },
);
