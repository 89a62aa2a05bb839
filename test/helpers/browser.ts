// The web dashboard's tests drive a real headless Chromium (Debian's, or ORCH_TEST_CHROMIUM) against the built
// dashboard: one browser per test file, launched before its tests and closed after, the dashboard built once when a
// bare `vitest run` finds it missing (CI builds it before testing).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { run } from '../../src/process/run.ts';
import { repoRoot } from './orch-cli.ts';
import { guard } from './slack.ts';

/** The built dashboard the tests serve. */
export const webRoot = join(repoRoot, 'web', 'dist');
/** Where the tests leave their screenshots. */
export const artifacts = join(repoRoot, 'test', 'artifacts');
const chromiumPath = process.env['ORCH_TEST_CHROMIUM'] ?? '/usr/bin/chromium';

export async function buildDashboardIfMissing(): Promise<void> {
  if (existsSync(join(webRoot, 'index.html'))) return;
  const build = await run([process.execPath, join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts'], {
    cwd: repoRoot,
    totalTimeoutMs: guard(120_000),
  });
  if (build.exitCode !== 0) throw new Error(`building the dashboard failed:\n${build.stdout}\n${build.stderr}`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A browser for this test file: `browser()` inside a test returns it. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    await buildDashboardIfMissing();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (browser === undefined) throw new Error('the browser is launched in beforeAll; use it inside a test');
    return browser;
  };
}
