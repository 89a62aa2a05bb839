// A note, not a goal: how long installing what orch needs to run takes (`npm install` of package.json's
// dependencies into an empty directory, from this machine's npm cache), and how big the result is. A fresh
// `scripts/dev demo` with an empty cache adds downloads (and, while the agent CLIs are in the install, their size).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../src/process/run.ts';
import { root, scratchDir } from './lib.ts';

export async function benchInstall(): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const specs = Object.entries(pkg.dependencies ?? {}).map(([name, version]) => `${name}@${version}`);
  const dir = scratchDir('install');
  const started = performance.now();
  const installed = await run(['npm', 'install', '--no-audit', '--no-fund', '--no-save', '--prefer-offline', ...specs], {
    cwd: dir,
    env: { ...process.env, npm_config_loglevel: 'error' },
    totalTimeoutMs: 600_000,
  });
  const seconds = (performance.now() - started) / 1000;
  console.log(`notes: installing orch's runtime dependencies (${specs.length} packages, from this machine's npm cache)`);
  if (installed.exitCode !== 0) {
    console.log(`  npm install failed (exit ${installed.exitCode}): ${installed.stderr.split('\n').slice(-3).join(' ')}`);
    return;
  }
  const size = await run(['du', '-sm', join(dir, 'node_modules')], { cwd: dir });
  console.log(`  npm install into an empty directory: ${seconds.toFixed(1)} s, node_modules ${size.stdout.split('\t')[0] ?? '?'} MB`);
}
