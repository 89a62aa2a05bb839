// The run view's timeline chart in a real headless Chromium: a plan run with a dependency chain under one agent
// slot and one key that is rate-limited once (real Claude Code against the scripted model, through the CLI), then
// the served run view, read back and photographed: the waits for the slot and for the key, the critical path drawn
// and named, the sampled agent resources.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunTimeline } from '../../src/domain/timeline.ts';
import { Engine } from '../../src/engine/run/engine.ts';
import { createApp } from '../../src/server/app.ts';
import { listen } from '../../src/server/listen.ts';
import { Store } from '../../src/store/store.ts';
import { claudeConfig, claudeEnv, useScriptedServers } from '../helpers/claude-run.ts';
import { artifacts, useBrowser, webRoot } from '../helpers/browser.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { runOrch } from '../helpers/orch-cli.ts';


const temp = useTempRepos();
const serve = useScriptedServers();
const browser = useBrowser();

const planAnswer = (tasks: { id: string; title: string; description: string; dependsOn?: string[] }[]) =>
  JSON.stringify({ found: 'a small repository', proposal: 'split as below', deferred: [], risks: [], tasks: tasks.map((t) => ({ type: 'code', dependsOn: [], files: [], acceptance: 'the check passes', ...t })) });
const write = (file: string, content: string, delayMs = 0) => ({ tool: 'Write', input: { file_path: `{{cwd}}/${file}`, content }, delayMs });

describe('the run view timeline', () => {
  it('a plan run with a dependency chain under one agent slot and a rate-limited key: the chart shows both waits, draws and names the critical path', async () => {
    const server = await serve({
      scripts: [
        {
          name: 'planner',
          match: { prompt: 'You are the planner' },
          turns: [{ text: planAnswer([{ id: 'A', title: 'TASK-A write a.txt', description: 'a.txt' }, { id: 'B', title: 'TASK-B write b.txt', description: 'b.txt', dependsOn: ['A'] }, { id: 'C', title: 'TASK-C write c.txt', description: 'c.txt' }]) }],
        },
        { name: 'B', match: { prompt: 'TASK-B' }, turns: [write('b.txt', 'B\n', 800), { text: 'done' }] },
        // A's first request is refused (429, retry after 1 s): the one key rests, and A waits for it.
        { name: 'A', match: { prompt: 'TASK-A' }, turns: [{ error: { status: 429, retryAfter: 1 }, times: 1 }, write('a.txt', 'A\n', 800), { text: 'done' }] },
        { name: 'C', match: { prompt: 'TASK-C' }, turns: [write('c.txt', 'C\n', 800), { text: 'done' }] },
      ],
    });
    const repo = await temp.repo({ files: { 'README.md': 'project\n', 'orch.config.json': claudeConfig({ retries: { delaysSeconds: [0.2, 0.4], cooldownSeconds: 1, stuck: 1 } }) } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const ran = await runOrch(['run', 'three files', '--strategy', 'plan', '--max-agents', '1', '--target', 'main', '--test-cmd', 'test -f README.md', '--json'], { cwd: repo.root, home, env: claudeEnv(server, join(home, 'claude')) });
    expect(ran.exitCode, ran.stderr).toBe(0);
    const runId = (JSON.parse(ran.stdout) as { run: { id: string } }).run.id;
    const timeline = JSON.parse((await runOrch(['show', runId, '--timeline', '--json'], { cwd: repo.root, home })).stdout) as RunTimeline;
    const path = timeline.analytics.criticalPath!.tasks;
    expect(path.at(-1)).toBe(timeline.lanes.filter((l) => l.kind === 'task').reduce((x, y) => (y.endMs > x.endMs ? y : x)).taskKey);
    // One slot for A and C at once: one of them waited for it; and A waited for its rate-limited key.
    expect(timeline.analytics.phaseMs.queued).toBeGreaterThan(0);
    expect(timeline.analytics.phaseMs.credential_wait).toBeGreaterThan(0);

    const store = new Store(join(home, 'orch.db'));
    const engine = new Engine({ store, home });
    const { key } = store.apiKeys.create('web-test', ['read']);
    const listening = await listen(createApp({ engine, store, home, webRoot }), { port: 0 });
    const page = await browser().newPage({ viewport: { width: 1280, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await page.addInitScript((k) => localStorage.setItem('orch.apiKey', k), key);
      await page.goto(`${listening.url}/#/runs/${runId}`);
      const chart = page.locator('.timeline');
      await chart.waitFor();
      // A lane per task and per attempt; the waits for the slot drawn as queued phases.
      await expect.poll(() => page.locator('.timeline-row').count()).toBe(timeline.lanes.length);
      expect(await page.locator('.timeline .phase-queued').count()).toBeGreaterThan(0);
      expect(await page.textContent('.timeline-legend')).toContain('queued (agent limit)');
      expect(await page.locator('svg[aria-label^="att_"] .phase-credential_wait').count()).toBeGreaterThan(0);
      expect(await page.textContent('.timeline-legend')).toContain('waiting on a rate-limited credential');
      // Every lane on one time axis: each row's chart starts at the same x, whatever its label.
      const charts = await page.locator('.timeline-row svg[role=img]').all();
      const starts = await Promise.all(charts.map(async (svg) => Math.round((await svg.boundingBox())?.x ?? -1)));
      expect(new Set(starts).size, `chart x per row: ${starts.join(', ')}`).toBe(1);
      // The critical path: its tasks' bars outlined, and named in the facts.
      for (const task of ['A', 'B', 'C']) {
        const title = await page.locator(`svg[aria-label="task:${task} timeline"] title`).first().textContent();
        expect(title?.includes('(critical path)'), `task ${task}: ${title ?? ''}`).toBe(path.includes(task));
      }
      expect(await page.textContent('.timeline-facts')).toContain(`critical path ${path.join(' → ')}`);
      expect(await page.textContent('.timeline-facts')).toMatch(/agent memory peak \d+ MiB/);
      await mkdir(artifacts, { recursive: true });
      await chart.screenshot({ path: join(artifacts, 'web-timeline-plan.png') });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await listening.close();
      store.close();
    }
  });
});
