// ESLint flat config. Beyond the usual TypeScript rules, it enforces the import boundaries:
// the folder decides the environment (guides/style.md practice 4), and a test
// (test/shared/import-boundaries.test.ts) proves the rule bites.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = builtinModules.filter((name) => !name.startsWith('_'));

/** Node built-ins, bare and `node:`-prefixed. */
const noNode = {
  paths: NODE_BUILTINS.map((name) => ({ name, message: 'Node built-ins are not available in this folder.' })),
  patterns: [{ group: ['node:*'], message: 'Node built-ins are not available in this folder.' }],
};
const noElectron = { name: 'electron', message: 'Only the shell folders of main/ (and preload/) may import electron.' };
const noMainProcessPackages = ['ws', 'better-sqlite3'].map((name) => ({
  name,
  message: 'Main-process packages are not available in this folder.',
}));
const folder = (name) => ({ group: [`**/${name}/**`, `../${name}/*`], message: `This folder may not import from ${name}/.` });

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'release/**', '.cache/**', 'test-results/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports (house style).' },
        { selector: 'TSEnumDeclaration', message: 'Use a string-literal union or an `as const` object.' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  // --- Import boundaries ---------------------------------------------------------------
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...noNode.paths, noElectron, ...noMainProcessPackages],
          patterns: [...noNode.patterns, folder('main'), folder('renderer'), folder('preload')],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...noNode.paths, noElectron, ...noMainProcessPackages],
          patterns: [...noNode.patterns, folder('main'), folder('preload')],
        },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...noNode.paths, ...noMainProcessPackages],
          patterns: [...noNode.patterns, folder('main'), folder('renderer')],
        },
      ],
    },
  },
  {
    // Domain code in main/ stays free of Electron so it runs (and is tested) under plain Node.
    files: ['main/**/*.ts'],
    ignores: ['main/index.ts', 'main/window/**', 'main/tray/**', 'main/menu/**', 'main/platform/**', 'main/ipc/electron-*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [folder('renderer'), folder('preload')] }],
    },
  },
  {
    // The emulators are built from the specs, not from our client: importing main/ would let
    // our own bugs agree with themselves.
    files: ['test/emulators/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron], patterns: [folder('main'), folder('renderer')] }],
    },
  },
  {
    files: ['test/**/*.ts', '**/*.config.ts', '**/*.config.js', '.build/**/*.mjs'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
