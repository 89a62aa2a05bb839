// The web dashboard's start form, plan view and run actions in a real headless Chromium against the real server:
// a plan run started from the form with its parameters (real Claude Code against the scripted model), its task
// graph and per-task results read back from the page, and a Resume answered at once.
import { writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { isRunOver } from '../../src/domain/status.ts';
import { Engine } from '../../src/engine/run/engine.ts';
import { createApp } from '../../src/server/app.ts';
import { listen, type Listening } from '../../src/server/listen.ts';
import { Store } from '../../src/store/store.ts';
import { claudeBinary, claudeEnv, useScriptedServers } from '../helpers/claude-run.ts';
import { artifacts, useBrowser, webRoot } from '../helpers/browser.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { guard } from '../helpers/slack.ts';
import { fakeAgentConfig } from '../helpers/orch-cli.ts';
import { waitFor } from '../helpers/wait-for.ts';


const temp = useTempRepos();
const serve = useScriptedServers();
const browser = useBrowser();

async function startServer(home: string): Promise<{ listening: Listening; key: string; store: Store; close: () => Promise<void> }> {
  await mkdir(home, { recursive: true });
  const store = new Store(join(home, 'orch.db'));
  const engine = new Engine({ store, home });
  const { key } = store.apiKeys.create('web-test', ['read', 'write']);
  const listening = await listen(createApp({ engine, store, home, webRoot }), { port: 0 });
  return {
    listening,
    key,
    store,
    close: async () => {
      await listening.close();
      store.close();
    },
  };
}

/** A page with the key already stored, failing the test on any error it logs or throws. */
async function openPage(url: string, key: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser().newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.addInitScript((k) => localStorage.setItem('orch.apiKey', k), key);
  await page.goto(url);
  return { page, errors };
}

interface Task {
  id: string;
  title: string;
  description: string;
  dependsOn?: string[];
}
const planAnswer = (tasks: Task[]) =>
  JSON.stringify({ found: 'a small repository', proposal: 'split as below', deferred: [], risks: [], tasks: tasks.map((t) => ({ type: 'code', dependsOn: [], files: [], acceptance: 'the file exists', ...t })) });
const write = (file: string, content: string) => ({ tool: 'Write', input: { file_path: `{{cwd}}/${file}`, content } });

type Rect = { left: number; right: number; top: number; bottom: number };
interface Geometry {
  boxes: Record<string, Rect>;
  edges: { from: string; to: string; samples: { x: number; y: number }[] }[];
  titles: { key: string | null; inside: boolean; overflows: boolean }[];
}

/** Runs in the page (plain JavaScript: the tests are compiled without the DOM's types): where the graph's boxes
 * are on screen, points along each edge as drawn, and whether each title stays inside its box. */
const measureGraph = `(root) => {
  const boxes = Object.fromEntries([...root.querySelectorAll('g[data-task]')].map((g) => {
    const r = g.querySelector('rect').getBoundingClientRect();
    return [g.getAttribute('data-task'), { left: r.left, right: r.right, top: r.top, bottom: r.bottom }];
  }));
  const svg = root.querySelector('svg');
  const toScreen = (p) => p.matrixTransform(svg.getScreenCTM());
  const edges = [...root.querySelectorAll('path.edge')].map((path) => {
    const length = path.getTotalLength();
    const samples = Array.from({ length: 41 }, (_, i) => toScreen(path.getPointAtLength((length * i) / 40))).map((q) => ({ x: q.x, y: q.y }));
    return { from: path.getAttribute('data-from'), to: path.getAttribute('data-to'), samples };
  });
  const titles = [...root.querySelectorAll('g[data-task]')].map((g) => {
    const title = g.querySelector('.node-title');
    const box = g.querySelector('rect').getBoundingClientRect();
    const r = title.getBoundingClientRect();
    return { key: g.getAttribute('data-task'), inside: r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom, overflows: title.scrollWidth > title.clientWidth + 1 };
  });
  return { boxes, edges, titles };
}`;

const longTitle = 'TASK-A write the first file, a task whose title is much longer than any box in the graph could ever hold on one line';

describe('web dashboard: plans, parameters and actions', () => {
  it('starts a plan run from the form with its parameters, then shows each task’s result, a tidy graph and per-task attempt names', async () => {
    const model = await serve({
      scripts: [
        {
          name: 'planner',
          match: { prompt: 'You are the planner' },
          turns: [
            {
              text: planAnswer([
                { id: 'A', title: longTitle, description: 'Create a.txt holding A.' },
                { id: 'B', title: 'TASK-B write b.txt', description: 'Create b.txt.', dependsOn: ['A'] },
                { id: 'C', title: 'TASK-C write c.txt', description: 'Create c.txt.' },
                { id: 'D', title: 'TASK-D write d.txt', description: 'Create d.txt.', dependsOn: ['A', 'B'] },
              ]),
            },
          ],
        },
        // Later tasks first: Claude Code shows an agent the recent commits, which name earlier tasks.
        { name: 'D', match: { prompt: 'TASK-D' }, turns: [write('d.txt', 'D\n'), { text: 'done' }] },
        { name: 'B', match: { prompt: 'TASK-B' }, turns: [write('b.txt', 'B\n'), { text: 'done' }] },
        { name: 'C', match: { prompt: 'TASK-C' }, turns: [write('c.txt', 'C\n'), { text: 'done' }] },
        { name: 'A', match: { prompt: 'TASK-A' }, turns: [write('a.txt', 'A\n'), { text: 'done' }] },
      ],
    });
    const home = await temp.dir();
    const config = { agent: 'claude', agents: { claude: { binary: claudeBinary, maxRetries: 0, env: claudeEnv(model, join(home, 'claude')) } }, checks: { allowUnchecked: true } };
    const repo = await temp.repo({ files: { 'README.md': 'project\n', 'orch.config.json': JSON.stringify(config) } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const server = await startServer(join(home, 'orch'));
    const { page, errors } = await openPage(server.listening.url, server.key);
    try {
      await page.click('nav >> text=New run');
      // Every strategy the server has, plan included, with its own parameters.
      await page.waitForSelector('input[name=strategy][value=plan]');
      const offered = await Promise.all((await page.locator('input[name=strategy]').all()).map((input) => input.getAttribute('value')));
      expect(offered).toEqual(expect.arrayContaining(['single', 'best-of-n', 'iterative', 'tournament', 'plan']));
      await page.check('input[name=strategy][value=best-of-n]', { force: true });
      await expect.poll(() => page.locator('[data-testid=params] input[name="param.n"]').count()).toBe(1);
      await page.check('input[name=strategy][value=plan]', { force: true });
      const worker = page.locator('select[name="param.worker"]');
      await worker.waitFor();
      expect(await worker.locator('option').allTextContents()).toEqual(['single (default)', 'single', 'best-of-n', 'iterative', 'tournament']);
      expect(await page.getAttribute('input[name="param.depth"]', 'max')).toBe('4');
      await page.fill('input[name="param.maxTasks"]', '6');
      await page.fill('input[name="param.retries"]', '0');

      await page.fill('input[name=repo]', repo.root);
      await page.fill('textarea[name=goal]', 'write a, b, c and d');
      await page.fill('input[name=testCmd]', 'test -f README.md');
      await page.fill('input[name=target]', 'main');
      await mkdir(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'web-new-plan-run.png'), fullPage: true });
      await page.click('button[type=submit]');

      await page.waitForURL(/#\/runs\/run_/);
      const runId = /#\/runs\/(run_[a-z0-9]+)/.exec(page.url())?.[1] ?? '';
      expect(server.store.runs.get(runId)).toMatchObject({ strategy: 'plan', params: { maxTasks: 6, retries: 0 } });
      await page.waitForSelector('.run-header .badge[data-status=succeeded]', { timeout: guard(120_000) });

      // Each task's own result, no single winner.
      const results = page.locator('[data-testid=task-results] tbody tr');
      await expect.poll(() => results.count()).toBe(4);
      expect(await page.textContent('[data-testid=outcome]')).not.toContain('Winner');
      expect(await page.textContent('[data-testid=outcome]')).toContain('4 of 4 merged');
      for (const key of ['A', 'B', 'C', 'D']) {
        const row = page.locator(`[data-testid=task-results] tr[data-task=${key}]`);
        await expect.poll(() => row.locator('.badge').first().getAttribute('data-status')).toBe('merged');
        // The attempt is named with its task, not a bare "attempt 1" like every other task's.
        expect(await row.locator('button.link').textContent()).toMatch(new RegExp(`TASK-${key}.* · attempt 1 · claude`));
      }

      // The attempts grid: grouped under each task's title, every attempt of its work landed marked.
      const groups = page.locator('[data-testid=attempts-grid] tr.task-group');
      await expect.poll(() => groups.count()).toBe(4);
      expect(await groups.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('TASK-B write b.txt')]));
      expect(await page.locator('[data-testid=attempts-grid] tr.winner').count()).toBe(4);
      const labels = await Promise.all((await page.locator('[data-testid=attempts-grid] tr[data-attempt]').all()).map((row) => row.getAttribute('data-label')));
      expect(new Set(labels).size).toBe(4);

      // The task graph: every edge ends on its own target's box and crosses no other box; no title overflows.
      await page.locator('[data-testid=task-graph]').waitFor();
      const geometry = await page.evaluate<Geometry>(`(${measureGraph})(document.querySelector('[data-testid=task-graph]'))`);
      expect(Object.keys(geometry.boxes).sort()).toEqual(['A', 'B', 'C', 'D']);
      expect(geometry.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(['A>B', 'A>D', 'B>D']);
      const inside = (p: { x: number; y: number }, b: Rect, inset: number) =>
        p.x > b.left + inset && p.x < b.right - inset && p.y > b.top + inset && p.y < b.bottom - inset;
      const near = (p: { x: number; y: number }, b: Rect) => p.x >= b.left - 3 && p.x <= b.right + 3 && p.y >= b.top - 3 && p.y <= b.bottom + 3;
      for (const edge of geometry.edges) {
        const end = edge.samples.at(-1) as { x: number; y: number };
        expect(near(end, geometry.boxes[edge.to]!), `${edge.from}>${edge.to} ends at its target`).toBe(true);
        for (const [key, box] of Object.entries(geometry.boxes)) {
          if (key === edge.from || key === edge.to) continue;
          expect(edge.samples.some((p) => inside(p, box, 3)), `${edge.from}>${edge.to} crosses ${key}`).toBe(false);
        }
      }
      for (const title of geometry.titles) expect(title, `the title of ${title.key ?? ''}`).toMatchObject({ inside: true, overflows: false });
      await page.screenshot({ path: join(artifacts, 'web-plan-run.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await server.close();
    }
  });

  it('answers Resume at once: the button says it is working, then a notice says the run is running again', async () => {
    const home = await temp.dir();
    // The agent fails, so the run ends failed and can be resumed.
    const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': fakeAgentConfig({ files: { 'x.txt': 'x\n' }, exitCode: 1 }) } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const server = await startServer(join(home, 'orch'));
    const { page, errors } = await openPage(server.listening.url, server.key);
    try {
      const { runId } = await (await fetch(`${server.listening.url}/api/v1/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ repo: repo.root, goal: 'write x', target: 'main' }),
      })).json() as { runId: string };
      await page.goto(`${server.listening.url}/#/runs/${runId}`);
      await page.waitForSelector('.run-header .badge[data-status=failed]', { timeout: guard(60_000) });

      // Hold the resume's answer back until the page has shown that it is working on it.
      let answer!: () => void;
      const answered = new Promise<void>((resolve) => (answer = resolve));
      await page.route('**/api/v1/runs/*/resume', async (route) => {
        await answered;
        await route.continue();
      });
      await page.click('.run-header button:has-text("Resume")');
      await page.waitForSelector('.run-header button[aria-busy=true]:has-text("Resuming…")');
      expect(await page.textContent('.run-header [role=status]')).toContain('Asking the server to resume the run');
      answer();
      const notice = page.locator('[data-testid=run-notice]');
      await notice.waitFor();
      expect(await notice.textContent()).toMatch(/Resumed: the run is running again/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await server.close();
    }
  });

  it("keeps the file name of a running attempt's activity visible when the cell is too narrow for the path", async () => {
    const home = await temp.dir();
    const release = join(home, 'release');
    const path = 'src/components/dashboard/widgets/deeply/nested/folder/structure/feature-flags.ts';
    const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': fakeAgentConfig({ files: { 'x.txt': 'x\n' }, print: [`writing ${path}`], waitForFile: release }) } });
    const server = await startServer(join(home, 'orch'));
    const { page, errors } = await openPage(server.listening.url, server.key);
    try {
      const { runId } = (await (
        await fetch(`${server.listening.url}/api/v1/runs`, {
          method: 'POST',
          headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ repo: repo.root, goal: 'write x' }),
        })
      ).json()) as { runId: string };
      await page.goto(`${server.listening.url}/#/runs/${runId}`);
      const doing = page.locator('[data-testid=attempts-grid] .doing');
      await doing.waitFor({ timeout: guard(60_000) });
      expect(await doing.locator('.doing-tail').textContent()).toBe('feature-flags.ts');
      const fit = await page.evaluate<{ tailVisible: boolean; headCut: boolean }>(`(() => {
        const cell = document.querySelector('[data-testid=attempts-grid] .doing').getBoundingClientRect();
        const tail = document.querySelector('[data-testid=attempts-grid] .doing-tail').getBoundingClientRect();
        const head = document.querySelector('[data-testid=attempts-grid] .doing-head');
        return { tailVisible: tail.left >= cell.left && tail.right <= cell.right + 0.5, headCut: head.scrollWidth > head.clientWidth };
      })()`);
      expect(fit).toEqual({ tailVisible: true, headCut: true });
      expect(errors).toEqual([]);
      writeFileSync(release, '');
      await waitFor(() => isRunOver(server.store.runs.get(runId).status), { what: 'the run to end', timeoutMs: 60_000 });
    } finally {
      writeFileSync(release, '');
      await page.close();
      await server.close();
    }
  });
});
