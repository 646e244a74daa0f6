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
/** House style, shared by every block that sets no-restricted-syntax (a later block replaces the list). */
const HOUSE_SYNTAX = [
  { selector: 'ExportDefaultDeclaration', message: 'Use named exports (house style).' },
  { selector: 'TSEnumDeclaration', message: 'Use a string-literal union or an `as const` object.' },
];
/**
 * IPC goes through the wrappers only (main/ipc/electron-*.ts): they check the sender frame and
 * validate every payload against the contract. Raw ipcMain or webContents.send elsewhere would
 * bypass both. test/shared/import-boundaries.test.ts proves these bite.
 */
const RAW_IPC_MESSAGE = 'Use the IPC wrappers (main/ipc/electron-ipc.ts): they check the sender and validate payloads.';
const NO_RAW_IPC = [
  { selector: "MemberExpression[object.name='ipcMain']", message: RAW_IPC_MESSAGE },
  { selector: "MemberExpression[object.property.name='ipcMain']", message: RAW_IPC_MESSAGE },
  {
    selector: "CallExpression[callee.property.name=/^(send|sendToFrame|postMessage)$/][callee.object.property.name='webContents']",
    message: RAW_IPC_MESSAGE,
  },
  {
    selector: 'CallExpression[callee.property.name=/^(send|sendToFrame|postMessage)$/][callee.object.name=/^(webContents|contents)$/]',
    message: RAW_IPC_MESSAGE,
  },
];
const folder = (name) => ({ group: [`**/${name}/**`, `../${name}/*`], message: `This folder may not import from ${name}/.` });

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'release/**', '.cache/**', 'test-results/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  // Type-aware: the checker's types decide (floating promises, exhaustive switches, …). See the
  // "Type-aware lint" block below for what is tuned and why.
  ...tseslint.configs.strictTypeChecked,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', ...HOUSE_SYNTAX],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  // --- Type-aware lint ---------------------------------------------------------------------
  {
    // Types come from each folder's tsconfig.json (the project service finds the right one).
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Off, with their finding counts when strictTypeChecked was tried on the whole tree:
      // `() => void x()` arrow shorthands are house style (258 findings);
      '@typescript-eslint/no-confusing-void-expression': 'off',
      // numbers and booleans in template strings are deliberate (175);
      '@typescript-eslint/restrict-template-expressions': 'off',
      // defensive checks at trust boundaries (parsed JSON, noUncheckedIndexedAccess) read as "unnecessary" (56);
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // async methods without await implement Promise-returning interfaces (23);
      '@typescript-eslint/require-await': 'off',
      // a type parameter used once types a caller's expectation (getContext<T>, type guards) (2).
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
    },
  },
  {
    // Tests: expect.any()/expect.stringMatching() are typed `any`, and spies are passed unbound.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Outside every tsconfig (build scripts, root configs) or not understood by TypeScript's
    // project service (.svelte components: svelte-check type-checks them): syntax rules only.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.svelte', '*.config.ts', 'renderer/vite.config.ts'],
    ...tseslint.configs.disableTypeChecked,
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
    // Raw IPC only inside the wrappers (see NO_RAW_IPC).
    files: ['main/**/*.ts', 'preload/**/*.ts'],
    ignores: ['main/ipc/electron-*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...HOUSE_SYNTAX, ...NO_RAW_IPC] },
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
