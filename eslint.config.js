// Lint gates: type-aware rules, and the one-way layer graph of docs/architecture.md made enforceable.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

// Lower levels never import from their own level's siblings or from any level above.
const levels = [
  ['domain'],
  ['process', 'sandbox'],
  ['store', 'git', 'testkit'],
  // Repositories by URL (mirrors, delivery by push): git, one step up.
  ['remote'],
  ['agents', 'report'],
  ['judge', 'merge', 'planner', 'executor', 'github'],
  // The queue executor and the worker: executors over Redis (BullMQ), beside the strategies.
  ['strategies', 'distributed'],
  ['engine'],
  ['portfolio', 'mcp', 'eval'],
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

// Inside engine/, the rooms import only downwards too: run → steps → attempt → core.
const engineRooms = ['core', 'attempt', 'steps', 'run'];
const engineZones = engineRooms.slice(0, -1).map((room, index) => ({
  target: `./src/engine/${room}`,
  from: engineRooms.slice(index + 1).map((above) => `./src/engine/${above}`),
  message: `layer rule: src/engine/${room} may import only from the engine rooms below it (run → steps → attempt → core)`,
}));

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
    // Resolve `./x.js` to `./x.ts` as TypeScript does: without it no import resolves and the layer and cycle
    // rules below check nothing.
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json', 'web/tsconfig.json'], noWarnOnMultipleProjects: true })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { zones: [...layerZones, ...engineZones, webZone] }],
      'no-console': 'error',
      // The CLI is an esbuild bundle with code splitting: there `await import('pkg')` of a CommonJS package keeps only
      // its default export (`const { pino } = await import('pino')` was undefined and `orch start` died). Import a
      // package statically, in a module the command loads lazily.
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression > Literal[value=/^[^.]/]', message: 'no dynamic import of a package: the CLI bundle keeps only a CommonJS default export. Import it statically in a lazily loaded module.' },
      ],
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
    // Only the CLI is bundled: tests, benches and scripts run unbundled.
    files: ['test/**', 'bench/**', 'scripts/**', 'bin/**', '**/*.test.ts', '**/*.test.tsx'],
    rules: { 'no-restricted-syntax': 'off' },
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
