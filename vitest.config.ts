import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  // The examples import orch as a user's code does: `orch` and `orch/testkit` are orch's own sources here.
  resolve: {
    alias: [
      { find: /^orch$/, replacement: source('index.ts') },
      { find: /^orch\/testkit$/, replacement: source('testkit/index.ts') },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts', 'examples/**/*.test.ts'],
    // Guards against a hang, not deadlines: tests wait on conditions, and a loaded machine is only slower.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // End-to-end tests spawn real agent CLIs and git; two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
  },
});
