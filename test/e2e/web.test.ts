// The web dashboard in a real headless Chromium against the real server (in-process, on a socket), which runs
// the real Claude Code CLI against the scripted model: key prompt, start form, live run view, attempts, diff.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/run/engine.ts';
import { createApp } from '../../src/server/app.ts';
import { listen, type Listening } from '../../src/server/listen.ts';
import { Store } from '../../src/store/store.ts';
import { claudeBinary, claudeEnv, goodMath, mathProject, useScriptedServers } from '../helpers/claude-run.ts';
import { artifacts, useBrowser, webRoot } from '../helpers/browser.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';


const temp = useTempRepos();
const serve = useScriptedServers();
const browser = useBrowser();

async function startServer(home: string): Promise<{ listening: Listening; key: string; close: () => Promise<void> }> {
  await mkdir(home, { recursive: true });
  const store = new Store(join(home, 'orch.db'));
  const engine = new Engine({ store, home });
  const { key } = store.apiKeys.create('web-test', ['read', 'write']);
  const listening = await listen(createApp({ engine, store, home, webRoot }), { port: 0 });
  return {
    listening,
    key,
    close: async () => {
      await listening.close();
      store.close();
    },
  };
}

/** Fails the test on any error the page logs or throws, with the message. */
function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    // A 401 the test provokes on purpose shows up as a failed resource load; everything else is a bug.
    if (message.type() === 'error' && !message.text().includes('401')) errors.push(message.text());
  });
  return errors;
}

describe('web dashboard', () => {
  it('asks for a key, starts a run from the form, follows it live and shows attempts, verdict and diff', async () => {
    const model = await serve({
      script: [{ tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content: goodMath } }, { text: 'Fixed add: it subtracted.' }],
    });
    const home = await temp.dir();
    const config = { agent: 'claude', agents: { claude: { binary: claudeBinary, maxRetries: 0, env: claudeEnv(model, join(home, 'claude')) } } };
    const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': JSON.stringify(config) } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const server = await startServer(join(home, 'orch'));
    const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    try {
      await page.goto(server.listening.url);

      // A wrong key is refused with a message that says what to do; the right one opens the dashboard.
      await page.fill('input[name=apiKey]', 'orch_wrong');
      await page.click('button:has-text("Save key")');
      // The refusal comes from whichever call (REST or the event stream) sees the 401 first: both say so.
      await expect.poll(() => page.textContent('[data-testid=key-prompt] [role=alert]')).toMatch(/A valid API key is required|The API key was refused/);
      await page.fill('input[name=apiKey]', server.key);
      await page.click('button:has-text("Save key")');
      await page.waitForSelector('text=No runs yet.');

      await page.click('nav >> text=New run');
      await page.fill('input[name=repo]', repo.root);
      await page.fill('textarea[name=goal]', 'make add() add');
      await page.fill('input[name=testCmd]', 'node --test');
      await page.fill('input[name=target]', 'main');
      await mkdir(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'web-new-run.png'), fullPage: true });
      await page.click('button[type=submit]');

      await page.waitForURL(/#\/runs\/run_/);
      const runId = /#\/runs\/(run_[a-z0-9]+)/.exec(page.url())?.[1];
      expect(runId).toBeDefined();
      await page.waitForSelector('.run-header .badge[data-status=succeeded]', { timeout: 90_000 });

      // The attempts grid: one claude attempt that succeeded, passed its test, changed one file.
      const rows = page.locator('[data-testid=attempts-grid] tbody tr');
      await expect.poll(() => rows.count()).toBe(1);
      const row = rows.first();
      await expect.poll(() => row.textContent()).toContain('✓ test');
      const rowText = (await row.textContent()) ?? '';
      expect(rowText).toContain('claude');
      expect(rowText).toContain('succeeded');
      expect(rowText).toMatch(/\+1\s*−1\s*1 file/);
      expect(await row.getAttribute('class')).toContain('winner');

      // The merge, and the diff of the winner, with its file header and coloured lines.
      await expect.poll(() => page.textContent('[data-testid=outcome]')).toContain('merged');
      const diff = page.locator('[data-testid=diff]');
      await diff.waitFor();
      expect(await diff.locator('.diff-path').first().textContent()).toBe('src/math.js');
      expect(await diff.locator('.dl-add .code').allTextContents()).toEqual([goodMath.trim()]);
      expect(await diff.locator('.dl-del .code').allTextContents()).toEqual(['export const add = (a, b) => a - b;']);

      // The agent's log, rendered: the tool call and its final answer.
      await page.click('[role=tab]:has-text("Log")');
      await expect.poll(() => page.textContent('.log-body')).toContain('Fixed add: it subtracted.');
      expect(await page.textContent('.log-body')).toContain('src/math.js');
      await page.screenshot({ path: join(artifacts, 'web-log.png'), fullPage: true });

      // The verdict: the test command with its output behind a fold.
      await page.click('[role=tab]:has-text("Verdict")');
      await expect.poll(() => page.textContent('.verdict')).toContain('node --test');

      // The timeline: the attempt's bar holds its agent and checks phases.
      const agentPhase = page.locator('.timeline .phase-agent');
      await expect.poll(() => agentPhase.count()).toBeGreaterThan(0);
      expect(await page.locator('.timeline .phase-checks').count()).toBeGreaterThan(0);
      expect(await page.textContent('.timeline-facts')).toContain('parallel efficiency');

      await page.click('[role=tab]:has-text("Diff")');
      await diff.waitFor();
      await page.screenshot({ path: join(artifacts, 'web-run.png'), fullPage: true });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: join(artifacts, 'web-run-dark.png'), fullPage: true });
      await page.emulateMedia({ colorScheme: 'light' });

      // The runs list shows the run as succeeded.
      await page.click('nav >> text=Runs');
      await page.waitForSelector(`[data-testid=runs] a[href="#/runs/${runId ?? ''}"]`);
      expect(await page.textContent('[data-testid=runs] tbody tr')).toContain('succeeded');
      await page.screenshot({ path: join(artifacts, 'web-runs.png') });
      expect(await repo.git(['show', 'main:src/math.js'])).toBe(goodMath.trim());
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await server.close();
    }
  });
});
