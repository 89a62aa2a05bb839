// The portfolio page of the web dashboard in a real headless Chromium against the real server (on a socket), after
// a real cycle (Claude Code against the scripted model): projects, last cycle, spend against budget, the backlog,
// adding a task through the form and deferring it.
import { writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/run/engine.ts';
import { loadPortfolio } from '../../src/portfolio/config.ts';
import { settleCycle, startCycle } from '../../src/portfolio/cycles.ts';
import { createApp } from '../../src/server/app.ts';
import { listen } from '../../src/server/listen.ts';
import { Store } from '../../src/store/store.ts';
import { claudeBinary, claudeEnv, useScriptedServers } from '../helpers/claude-run.ts';
import { artifacts, useBrowser, webRoot } from '../helpers/browser.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { plannerScript, workerScript } from '../helpers/portfolio.ts';

const temp = useTempRepos();
const serve = useScriptedServers();
const browser = useBrowser();

describe('web dashboard: portfolio', () => {
  it('shows each project with its last cycle and spend against budget, adds a task through the form and defers it', async () => {
    const model = await serve({ scripts: [plannerScript('planner', 'portfolio project "site"', [{ id: 'T1', title: 'SITE-ONE write index.html', description: 'Create index.html.' }]), workerScript('SITE-ONE', 'index.html')] });
    const home = await temp.dir();
    await mkdir(join(home, 'orch'), { recursive: true });
    const config = { agent: 'claude', agents: { claude: { binary: claudeBinary, maxRetries: 0, env: claudeEnv(model, join(home, 'claude')) } }, checks: { allowUnchecked: true } };
    const repo = await temp.repo({ files: { 'README.md': 'site\n', 'orch.config.json': JSON.stringify(config) } });
    await repo.git(['switch', '--quiet', '-c', 'work']);
    const portfolioPath = join(home, 'portfolio.jsonc');
    writeFileSync(portfolioPath, JSON.stringify({ name: 'web', projects: [{ name: 'site', path: repo.root, target: 'main', budget: { daily_usd: 1 } }, { name: 'later', path: repo.root, enabled: false }] }));
    const portfolio = loadPortfolio(portfolioPath);
    const store = new Store(join(home, 'orch', 'orch.db'));
    const engine = new Engine({ store, home: join(home, 'orch') });
    const { key } = store.apiKeys.create('web-test', ['read', 'write']);
    const listening = await listen(createApp({ engine, store, home: join(home, 'orch'), webRoot, portfolioPath }), { port: 0 });
    const page = await browser().newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      const site = portfolio.projects[0];
      if (site === undefined) throw new Error('no project');
      const started = await startCycle(engine, portfolio, site, { configDir: join(home, 'orch', 'portfolio') });
      if (started.status !== 'started') throw new Error(started.reason);
      await started.handle.done;
      settleCycle(store, started.handle.runId);

      await page.goto(`${listening.url}/#/portfolio`);
      await page.fill('input[name=apiKey]', key);
      await page.click('button:has-text("Save key")');
      const card = page.locator('[data-testid=project-site]');
      await card.waitFor();
      expect(await page.textContent('[data-testid=daemon]')).toContain('daemon down');
      expect(await card.locator('.badge').first().getAttribute('data-status')).toBe('active');
      await expect.poll(() => card.locator('[data-testid=last-cycle]').textContent()).toContain(started.handle.runId);
      expect(await card.locator('[data-testid=last-cycle]').textContent()).toContain('1 of 1 task(s) merged');
      expect(await card.locator('[data-testid=spend]').textContent()).toMatch(/\$0\.\d+ of \$1\.00 today/);
      expect(await page.locator('[data-testid=project-later] .badge').first().getAttribute('data-status')).toBe('disabled');

      // Add a task through the form: it appears in the backlog, pending, and is in the store.
      await card.locator('input[name=title]').fill('Write the guide');
      await card.locator('select[name=type]').selectOption('docs');
      await card.locator('textarea[name=description]').fill('How to deploy.');
      await card.locator('button:has-text("Add task")').click();
      const row = card.locator('[data-testid=backlog] tbody tr');
      await expect.poll(() => row.count()).toBe(1);
      await expect.poll(() => row.first().textContent()).toContain('Write the guide');
      expect(await row.first().textContent()).toContain('docs');
      expect(await row.first().locator('.badge').getAttribute('data-status')).toBe('pending');
      expect(store.backlog.list('site').map((t) => [t.title, t.type, t.description, t.source])).toEqual([['Write the guide', 'docs', 'How to deploy.', 'manual']]);
      await mkdir(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'web-portfolio.png'), fullPage: true });

      // An empty title is refused with the server's message; nothing is added.
      await card.locator('button:has-text("Add task")').click();
      await expect.poll(() => card.locator('[role=alert]').textContent()).toContain('title');
      expect(store.backlog.list('site')).toHaveLength(1);

      await row.first().locator('button:has-text("Defer")').click();
      await expect.poll(() => row.first().locator('.badge').getAttribute('data-status')).toBe('deferred');
      expect(store.backlog.list('site')[0]?.status).toBe('deferred');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await engine.stopAll();
      await listening.close();
      store.close();
    }
  }, 240_000);
});
