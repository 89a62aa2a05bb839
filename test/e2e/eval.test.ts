// `orch eval` of the example suite (examples/eval), on the scripted model: the real Claude Code CLI, real git, real
// checks and merges, the hidden checks after each run; the table, the JSON, and the HTML report in a real Chromium.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { artifacts, launchChromium } from '../helpers/browser.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { git as runGit } from '../../src/git/index.ts';
import { repoRoot, runOrch } from '../helpers/orch-cli.ts';
import { waitFor } from '../helpers/wait-for.ts';

const temp = useTempRepos();
const suite = join(repoRoot, 'examples', 'eval', 'suite.jsonc');
const bundle = join(repoRoot, 'examples', 'eval', 'textkit.bundle');
const git = async (args: string[], cwd: string) => (await runGit(args, { cwd })).stdout.trim();
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

interface EvalJson {
  scripted: boolean;
  report: string;
  ran: number;
  skipped: number;
  configurations: { configuration: string; cells: number; passRate: number; passAtKRate: number; meanAttempts: number; meanCostUsd: number }[];
  cells: { cell: string; task: string; strategy: string; runId: string; runStatus: string; resolved: boolean; passAtK: boolean; scripted: boolean; attempts: { hiddenPassed: boolean | null; selected: boolean }[] }[];
}

/** The table's row for a configuration, as columns. */
function row(table: string, configuration: string): string[] {
  const line = table.split('\n').find((l) => l.startsWith(`${configuration} `));
  if (line === undefined) throw new Error(`no row for ${configuration} in:\n${table}`);
  return line.slice(configuration.length).trim().split(/\s+/);
}

describe('orch eval', () => {
  it('runs the example suite, 2 strategies × 2 repetitions: table, JSON, and an HTML report with plots', async () => {
    const dir = await temp.dir();
    const home = join(dir, 'home');
    const out = join(dir, 'out');
    const bundleBefore = sha256(bundle);
    const args = ['eval', suite, '--strategies', 'single,best-of-n:n=2', '--reps', '2', '--max-agents', '2', '--out', out];
    const first = await runOrch(args, { cwd: dir, home, timeoutMs: 600_000 });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr).toContain('SCRIPTED model');
    expect(first.stdout).toContain('orch eval textkit-scripted (SCRIPTED model): 8 of 8 runs done (8 now, 0 before)');
    // single: the overfitting attempt lands on slugify (hidden fails), clamp passes. best-of-n: one of its two
    // slugify attempts passes the hidden tests (pass@k), but selection by the smaller diff lands the other.
    expect(row(first.stdout, 'claude single').slice(0, 4)).toEqual(['4', '50%', '50%', '1.0']);
    expect(row(first.stdout, 'claude best-of-n:n=2').slice(0, 4)).toEqual(['4', '50%', '100%', '2.0']);
    expect(sha256(bundle)).toBe(bundleBefore);
    // The hidden tests were applied only in scratch checkouts after each run: no commit of any cell holds them,
    // and no scratch checkout is left.
    const clones = readdirSync(join(out, 'cells')).map((cell) => join(out, 'cells', cell, 'repo'));
    expect(clones).toHaveLength(8);
    for (const clone of clones) {
      expect(await git(['log', '--all', '--format=%H', '--', 'test/slugify-hidden.test.js'], clone)).toBe('');
      expect((await git(['worktree', 'list', '--porcelain'], clone)).match(/^worktree /gm)).toHaveLength(1);
    }

    // Run again with --json: every cell is done, so nothing runs, and the JSON holds all eight.
    const again = await runOrch([...args, '--json'], { cwd: dir, home, timeoutMs: 120_000 });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toContain('8 of 8 runs already done');
    const json = JSON.parse(again.stdout) as EvalJson;
    expect(json).toMatchObject({ scripted: true, ran: 0, skipped: 8, tasksPassingOnBase: [] });
    expect(json.cells).toHaveLength(8);
    expect(json.cells.every((c) => c.scripted && c.runStatus === 'succeeded')).toBe(true);
    const slugifyBest = json.cells.filter((c) => c.task === 'slugify-punctuation' && c.strategy === 'best-of-n:n=2');
    for (const cell of slugifyBest) {
      expect(cell.attempts.map((a) => a.hiddenPassed).sort()).toEqual([false, true]);
      expect(cell.attempts.find((a) => a.selected)?.hiddenPassed).toBe(false);
      expect(cell).toMatchObject({ resolved: false, passAtK: true });
    }
    expect(json.cells.filter((c) => c.task === 'clamp-min').every((c) => c.resolved)).toBe(true);
    const best = json.configurations.find((c) => c.configuration === 'claude best-of-n:n=2');
    expect(best).toMatchObject({ cells: 4, passRate: 0.5, passAtKRate: 1, meanAttempts: 2 });
    expect(best?.meanCostUsd).toBeGreaterThan(0);

    // The HTML report in Chromium, offline: its plots are there, with a bar per configuration and series.
    expect(json.report).toBe(join(out, 'report.html'));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(json.report).href);
      await expect(page.locator('#scripted').textContent()).resolves.toContain('SCRIPTED');
      const bars = async (chart: string) =>
        Promise.all(
          (await page.locator(`svg#${chart} rect.bar`).all()).map(async (bar) => ({
            group: await bar.getAttribute('data-group'),
            series: await bar.getAttribute('data-series'),
            value: Number(await bar.getAttribute('data-value')),
          })),
        );
      const pass = await bars('chart-pass-rate');
      expect(pass).toEqual([
        { group: 'claude single', series: 'landed result passes the hidden check', value: 50 },
        { group: 'claude single', series: 'pass@k: some attempt passes', value: 50 },
        { group: 'claude best-of-n:n=2', series: 'landed result passes the hidden check', value: 50 },
        { group: 'claude best-of-n:n=2', series: 'pass@k: some attempt passes', value: 100 },
      ]);
      expect((await bars('chart-cost')).map((b) => b.group)).toEqual(['claude single', 'claude best-of-n:n=2']);
      expect((await bars('chart-time')).every((b) => b.value > 0)).toBe(true);
      // Drawn, not only present: the best-of-n pass@k bar is twice as wide as its landed bar.
      const widths = await Promise.all((await page.locator('svg#chart-pass-rate rect.bar').all()).map(async (bar) => (await bar.boundingBox())?.width ?? 0));
      expect(widths[3]).toBeCloseTo(2 * (widths[2] ?? 0), 0);
      await expect(page.locator('svg#chart-pass-rate').textContent()).resolves.toContain('100%');
      expect(await page.locator('#cells tr').count()).toBe(9);
      await expect(page.locator('#tasks td[data-task="slugify-punctuation"][data-configuration="claude best-of-n:n=2"]').textContent()).resolves.toBe('0/2 landed · 2/2 pass@k');
      expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
      await mkdir(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'eval-report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  }, 900_000);

  it('keeps the runs an interrupted eval finished, resumes the one it stopped, and does the rest', async () => {
    const dir = await temp.dir();
    const home = join(dir, 'home');
    const out = join(dir, 'out');
    const results = join(out, 'results.jsonl');
    const args = ['eval', suite, '--tasks', 'clamp-min', '--strategies', 'single', '--reps', '3', '--max-agents', '1', '--out', out];
    const proc = spawn(process.execPath, [join(repoRoot, 'bin', 'orch.js'), ...args], { cwd: dir, env: { ...process.env, ORCH_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    // Ctrl+C once the first run is recorded and the second has started: the eval stops that run (interrupted)
    // and keeps the finished one.
    const started = () => [...stderr.matchAll(/▶ clamp-min · claude single · rep (\d): run (run_\w+) started/g)].map((m) => ({ rep: Number(m[1]) - 1, runId: m[2] ?? '' }));
    await waitFor(() => existsSync(results) && readFileSync(results, 'utf8').trim() !== '' && started().length >= 2, { timeoutMs: 300_000, what: 'the first result and the second run' });
    proc.kill('SIGINT');
    const code = await exited;
    expect(code, stderr).toBe(130);
    const kept = readFileSync(results, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { cell: string; runId: string });
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length, stderr).toBeLessThan(3);
    const stopped = started().find((s) => !kept.some((k) => k.runId === s.runId));

    const rerun = await runOrch([...args, '--json'], { cwd: dir, home, timeoutMs: 600_000 });
    expect(rerun.exitCode, rerun.stderr).toBe(0);
    expect(rerun.stderr).toContain(`${kept.length} of 3 runs already done`);
    const json = JSON.parse(rerun.stdout) as EvalJson;
    expect(json).toMatchObject({ ran: 3 - kept.length, skipped: kept.length });
    expect(json.cells.map((c) => c.cell)).toEqual(['clamp-min|claude|-|single|0', 'clamp-min|claude|-|single|1', 'clamp-min|claude|-|single|2']);
    // The finished runs were not done again: the same orch runs stand for them.
    for (const done of kept) expect(json.cells.find((c) => c.cell === done.cell)?.runId).toBe(done.runId);
    // The run the Ctrl+C stopped was taken up where it stopped, not started again.
    if (stopped !== undefined) {
      expect(rerun.stderr).toContain(`run ${stopped.runId} resumed where it stopped`);
      expect(json.cells[stopped.rep]?.runId).toBe(stopped.runId);
    }
    expect(json.cells.every((c) => c.resolved && c.runStatus === 'succeeded')).toBe(true);

    // A task edited since (its goal reworded) is a new task: its recorded runs do not count for it.
    const copy = join(dir, 'suite-copy');
    cpSync(join(repoRoot, 'examples', 'eval'), copy, { recursive: true });
    const edited = join(copy, 'suite.jsonc');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('clamp ignores min.', 'clamp ignores its min argument.'));
    const afterEdit = await runOrch(['eval', edited, '--tasks', 'clamp-min', '--strategies', 'single', '--reps', '1', '--out', out, '--json'], { cwd: dir, home, timeoutMs: 600_000 });
    expect(afterEdit.exitCode, afterEdit.stderr).toBe(0);
    expect(JSON.parse(afterEdit.stdout)).toMatchObject({ ran: 1, skipped: 0 });
  }, 900_000);
});
