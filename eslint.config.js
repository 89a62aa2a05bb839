// Lint gates: type-aware rules, and the one-way layer graph of docs/architecture.md made enforceable.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

// Lower levels never import from their own level's siblings or from any level above.
const levels = [
  ['domain'],
  ['process', 'sandbox'],
  ['store', 'git', 'testkit'],
  // Repositories by URL (mirrors, delivery by push): git, one step up.
  ['remote'],
  ['agents', 'report'],
  ['judge', 'merge', 'planner', 'executor'],
  // The queue executor and the worker: executors over Redis (BullMQ), beside the strategies.
  ['strategies', 'distributed'],
  ['engine'],
  ['portfolio', 'mcp'],
  ['server', 'tui', 'client'],
  // The command line puts the dashboard (and the server) on: the one room above them.
  ['cli'],
];

const layerZones = levels.flatMap((rooms, level) =>
  rooms.map((room) => ({
    target: `./src/${room}`,
    from: levels
      .slice(level)
      .flat()
      .filter((other) => other !== room)
      .map((other) => `./src/${other}`),
    message: `layer rule: src/${room} may import only from the layers below it (docs/architecture.md)`,
  })),
).filter((zone) => zone.from.length > 0);

// The dashboard runs in a browser: of orch's own code it may use only orch/client (src/client, aliased in
// web/vite.config.ts and web/tsconfig.json), which brings the API's types with it.
const webZone = {
  target: './web/src',
  from: './src',
  except: ['./client'],
  message: 'web/src may import only orch/client (it runs in the browser, talking to the API)',
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.tools/', 'web/dist/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones: [...layerZones, webZone] }],
      'no-console': 'error',
    },
  },
  {
    // orch/client runs in browsers too (the dashboard bundles it): no Node modules. The web build enforces the
    // same for everything it bundles (web/vite.config.ts); this says so where the import is written.
    files: ['src/client/**/*.ts', 'web/src/**/*.ts', 'web/src/**/*.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^node:', message: 'this code runs in a browser: no Node modules' }] }] },
  },
  {
    // The CLI's printing layer, tests, benches and scripts may print.
    files: ['src/cli/**', 'test/**', 'bench/**', 'scripts/**', '**/*.test.ts', 'bin/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Following vite's own imports into node_modules trips import-x's legacy resolver; our cycles are what matter.
    files: ['web/vite.config.ts'],
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', setInterval: 'readonly' },
    },
  },
);
