// ESLint (flat config): the layers of shared/design/architecture.md as an enforced rule,
// plus the recommended correctness rules of ESLint and typescript-eslint (type-aware, so
// floating and misused promises are caught). `npm run lint`; `npm test` runs it too.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';
import layersPlugin from './eslint/import-layers.mjs';
import { layerRuleOptions } from './eslint/layers.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));
export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**', '.scratch/**', 'resources/templates/**', '**/test-fixtures/**/*.js', 'main/cli/test-fixtures/**/handler.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.check.json', './renderer/tsconfig.json', './resources/tsconfig.json'],
        tsconfigRootDir: root,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { fnstudio: layersPlugin },
    rules: {
      'fnstudio/import-layers': [
        'error',
        layerRuleOptions(root),
      ],
      // An async function without await is how an implementation of a Promise-returning
      // interface turns a throw into a rejection; the rule would have us wrap by hand instead.
      '@typescript-eslint/require-await': 'off',
      // Every control character in a pattern here is deliberate (ANSI colour codes, names
      // that must not contain control characters); the rule only finds those.
      'no-control-regex': 'off',
      // `_`-prefixed names are deliberately unused (a handler's unused parameter keeps its position).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['**/*.test.ts', '**/*.spec.ts', 'e2e/**/*.ts'],
    rules: {
      // Tests assert on parsed JSON and on deliberately malformed values: `any` from
      // JSON.parse is what they inspect, and the assertions check its shape.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['runtime/sandbox/**/*.ts'],
    rules: {
      // The facades coerce the guest's values with String() exactly as Node's own APIs do
      // (a guest object's toString included): '[object Object]' is the faithful result.
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      // A guest may throw or reject with any value, and Node hands exactly that value on:
      // the facades reject with what the guest (or its callback) gave, Error or not.
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
    },
  },
  {
    files: ['resources/types/**/*.d.ts'],
    rules: {
      // What user code sees in the editor: Segment's payloads are arbitrary JSON, and `any`
      // keeps `event.properties.x.y` as free as in Segment's own editor (unknown would flag it).
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Plain JavaScript (scripts, the launcher, configs) is in no TypeScript project, so the
    // type-aware rules cannot run on it; the rest of the recommended rules still do.
    files: ['**/*.{js,mjs,cjs}', 'renderer/vite.config.mts'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node, sourceType: 'module' },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    // The launcher is CommonJS so that it runs on any Node before checking the version.
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
