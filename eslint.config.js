// Lint gates: type-aware rules, and the one-way layer graph of docs/architecture.md made enforceable.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

// Lower levels never import from their own level's siblings or from any level above.
const levels = [
  ['domain'],
  ['process'],
  ['store', 'git', 'testkit'],
  ['agents', 'report'],
  ['judge', 'merge', 'planner'],
  ['strategies'],
  ['engine'],
  ['portfolio'],
  ['server', 'tui'],
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
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      'no-console': 'error',
    },
  },
  {
    // The CLI's printing layer, tests, benches and scripts may print.
    files: ['src/cli/**', 'test/**', 'bench/**', 'scripts/**', '**/*.test.ts', 'bin/**'],
    rules: { 'no-console': 'off' },
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
