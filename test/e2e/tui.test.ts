// The terminal dashboard end to end: the real CLI in a real terminal (tmux), read back from the screen.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { supervise } from '../../src/process/supervise.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { claudeConfig, claudeEnv, useScriptedServers } from '../helpers/claude-run.ts';
import { guard } from '../helpers/slack.ts';
import { fakeAgentConfig, repoRoot, runOrch, type OrchResult } from '../helpers/orch-cli.ts';
import { waitFor } from '../helpers/wait-for.ts';

const temp = useTempRepos();
const serve = useScriptedServers();
const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** One tmux server of its own, its socket and the program's exit status in `dir`: the user's sessions are never touched. */
function terminal(dir: string, size: { columns: number; rows: number } = { columns: 120, rows: 40 }) {
  const socket = join(dir, 'tmux.sock');
  const statusFile = join(dir, 'exit-status');
  const tmux = (...args: string[]) => execFileSync('tmux', ['-S', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  return {
    start(argv: readonly string[], env: Record<string, string>, cwd: string) {
      const envArgs = Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
      // The program's exit status goes to a file (tmux's own #{pane_dead_status} is not always filled in), and the
      // pane stays after it exits so that its last screen can be read. Arguments reach sh as "$@", never as text.
      const wrapped = ['sh', '-c', '"$@"; echo "$?" > "$0"', statusFile, ...argv];
      tmux('new-session', '-d', '-s', 'orch', '-x', String(size.columns), '-y', String(size.rows), '-c', cwd, ...envArgs, ...wrapped, ';', 'set-option', '-t', 'orch', 'remain-on-exit', 'on');
    },
    screen: () => tmux('capture-pane', '-p', '-t', 'orch'),
    /** The screen and everything scrolled off it. */
    history: () => tmux('capture-pane', '-p', '-S', '-', '-t', 'orch'),
    keys: (...keys: string[]) => tmux('send-keys', '-t', 'orch', ...keys),
    /** The program's exit status once it ended, else null. */
    exitStatus(): number | null {
      const text = existsSync(statusFile) ? readFileSync(statusFile, 'utf8').trim() : '';
      return text === '' ? null : Number(text);
    },
    close() {
      spawnSync('tmux', ['-S', socket, 'kill-session', '-t', 'orch']);
    },
    /** The screen, once it shows what `predicate` waits for. */
    async waitFor(what: string, predicate: (screen: string) => boolean, timeoutMs = 45_000): Promise<string> {
      let screen = '';
      try {
        return await waitFor(
          () => {
            screen = this.screen();
            return predicate(screen) ? screen : undefined;
          },
          { what, timeoutMs, intervalMs: 100 },
        );
      } catch (error) {
        throw new Error(`${(error as Error).message}; the screen:\n${screen}`, { cause: error });
      }
    },
  };
}

/** The id of the run `running` started, once orch lists it. */
async function startedRunId(cwd: string, home: string, running: Promise<OrchResult>): Promise<string> {
  let ended: OrchResult | undefined;
  void running.then((result) => (ended = result));
  return waitFor(
    async () => {
      const listed = await runOrch(['runs', '--json'], { cwd, home });
      const id = listed.exitCode === 0 ? (JSON.parse(listed.stdout) as { id: string }[])[0]?.id : undefined;
      if (id === undefined && ended !== undefined) throw new Error(`the run ended before it was listed: ${ended.stderr}`);
      return id;
    },
    { what: 'the run to be listed', timeoutMs: 60_000, intervalMs: 200 },
  );
}

const orchArgv = (...args: string[]) => [process.execPath, `${repoRoot}/bin/orch.js`, ...args];
const attemptRows = (screen: string) => screen.split('\n').filter((line) => /^[› ] +[123] command /.test(line));

describe.skipIf(!hasTmux)('the dashboard in a real terminal', () => {
  it('shows a best-of-3 live, then its result, then the usual final lines', async () => {
    // The agents work until the test has seen them at work on the screen.
    const home = await temp.dir();
    const release = join(home, 'release');
    const plan = { files: { 'src/feature.txt': 'done\n' }, print: ['reading the code', 'writing src/feature.txt'], waitForFile: release };
    const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': fakeAgentConfig(plan) } });
    const term = terminal(await temp.dir());
    try {
      term.start(orchArgv('run', 'add the feature file', '--strategy', 'best-of-n', '-S', 'n=3', '--test-cmd', 'test -f src/feature.txt'), { ORCH_HOME: home }, repo.root);

      const live = await term.waitFor(
        'three running attempts at work',
        (s) => attemptRows(s).filter((line) => line.includes('● running') && line.includes('writing src/feature.txt')).length === 3,
      );
      expect(live).toMatch(/orch run_[0-9a-z]+ running +best-of-n → main/);
      expect(live).toContain('goal: add the feature file');
      expect(live).toContain('3 attempts  ● 3 running');
      expect(live).toContain('writing src/feature.txt');
      expect(live).toContain('q: leave dashboard, run goes on as plain lines · Ctrl+C: stop agents (twice: force)');
      expect(term.exitStatus()).toBeNull();

      // t: the timeline strip in the pane under the table, a row per attempt, each at work (A) up to now.
      term.keys('t');
      const strip = await term.waitFor('the timeline strip', (s) => s.includes('── timeline') && /^#3 +[.p]*A+ *$/m.test(s));
      for (const n of [1, 2, 3]) expect(strip).toMatch(new RegExp(`^#${n} +[.p]*A+ *$`, 'm'));
      expect(strip).toMatch(/\. queued +p prep +R key wait +A agent/);

      writeFileSync(release, '');
      const end = await term.waitFor('the end', () => term.exitStatus() !== null);
      expect(term.exitStatus(), end).toBe(0);
      expect(end).toContain('3 attempts  ✔ 3 succeeded');
      expect(attemptRows(end).filter((line) => /✔ succeeded +pass/.test(line))).toHaveLength(3);
      expect(attemptRows(end).filter((line) => line.includes('★'))).toHaveLength(1);
      expect(end).toMatch(/✔ run succeeded: att_\w+ won/);
      expect(end).toMatch(/winner: #[123] command att_\w+ on orch\/run_\w+\/main\/[123]/);
      expect(end).toContain('merge merged: Merged into main');
      // After the dashboard: the lines `orch run` always prints.
      expect(end).toMatch(/✔ run run_\w+ succeeded/);
      expect(end).toContain('audit trail:');
      // Frames were redrawn in place, not appended: the table's title is on the terminal once.
      expect(term.history().match(/\d attempts {2}/g)).toHaveLength(1);
      expect(await repo.git(['show', 'main:src/feature.txt'])).toBe('done');
    } finally {
      writeFileSync(release, '');
      term.close();
    }
  });

  it('at 80 columns: judges each attempt as it finishes, keeps the pass/fail column, and keeps file names in the activity', async () => {
    // Three attempts (models a, b, c of the command agent), released one at a time by the test.
    const home = await temp.dir();
    const release = join(home, 'release-{model}');
    const path = 'src/components/dashboard/widgets/deeply/nested/folder/feature-flags.ts';
    const plan = { files: { 'src/feature.txt': 'done\n' }, print: [`writing ${path}`], waitForFile: release };
    const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': fakeAgentConfig(plan) } });
    const term = terminal(await temp.dir(), { columns: 80, rows: 30 });
    const rows = (screen: string) => screen.split('\n').filter((line) => /^[› ] +[123] command:[abc] /.test(line));
    try {
      term.start(
        orchArgv('run', 'add the feature file', '--strategy', 'best-of-n', '-S', 'n=3', '-S', 'agents=command:a,command:b,command:c', '--test-cmd', 'test -f src/feature.txt'),
        { ORCH_HOME: home },
        repo.root,
      );
      const live = await term.waitFor('three running attempts at work', (s) => rows(s).filter((line) => line.includes('● running') && line.includes('feature-flags.ts')).length === 3);
      // The titles at 80 columns: pass/fail ("judged") and cost stay, the file name survives the cut.
      expect(live).toMatch(/# agent +status +judged +last activity +cost/);
      expect(rows(live).every((line) => /writing …\/?feature-flags\.ts/.test(line)), live).toBe(true);
      expect(live.split('\n').every((line) => [...line].length <= 80)).toBe(true);

      writeFileSync(join(home, 'release-b'), '');
      // b's verdict shows while a and c still work: it was judged as it finished.
      const judged = await term.waitFor('b judged while a and c run', (s) => {
        const lines = rows(s);
        return lines.some((l) => l.includes('command:b') && /✔ succeeded +pass/.test(l)) && lines.filter((l) => l.includes('● running')).length === 2;
      });
      expect(rows(judged).filter((l) => /pass|fail/.test(l))).toHaveLength(1);

      writeFileSync(join(home, 'release-a'), '');
      writeFileSync(join(home, 'release-c'), '');
      const end = await term.waitFor('the end', () => term.exitStatus() !== null);
      expect(term.exitStatus(), end).toBe(0);
      expect(rows(end).filter((line) => /✔ succeeded +pass/.test(line))).toHaveLength(3);
    } finally {
      for (const model of ['a', 'b', 'c']) writeFileSync(join(home, `release-${model}`), '');
      term.close();
    }
  });

  it('shows turns, tokens and cost of a Claude Code attempt while it works, not only when it ends', async () => {
    // One turn answered, then the model keeps the agent waiting: whatever the row shows now, it showed mid-attempt.
    const model = await serve({ script: [{ tool: 'Write', input: { file_path: '{{cwd}}/notes.txt', content: 'first\n' }, usage: { input_tokens: 4000, output_tokens: 800 } }, { hang: true }] });
    const home = await temp.dir();
    const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': claudeConfig() } });
    const term = terminal(await temp.dir());
    try {
      term.start(orchArgv('run', 'write notes', '--strategy', 'single'), { ORCH_HOME: home, ...claudeEnv(model, join(home, 'claude')) }, repo.root);
      const live = await term.waitFor('turns, tokens and cost on the running row', (s) => /● running .* [1-9]\d* +[\d.]+k +≈?\$0\.\d{4}/.test(s), 90_000);
      const row = live.split('\n').find((line) => line.includes('● running')) ?? '';
      expect(row, live).toMatch(/claude/);
      expect(term.exitStatus()).toBeNull();
      term.keys('C-c');
      await term.waitFor('the end', () => term.exitStatus() !== null, 60_000);
      expect(term.exitStatus()).toBe(130);
    } finally {
      term.close();
    }
  });

  it('a plan run: each attempt with its task, every task that merged marked, no one winner', async () => {
    const planAnswer = JSON.stringify({
      found: 'a small repository',
      proposal: 'two files',
      deferred: [],
      risks: [],
      tasks: [
        { id: 'alpha', title: 'TASK-ALPHA write a.txt', description: 'Create a.txt.', type: 'code', dependsOn: [], files: [], acceptance: 'a.txt exists' },
        { id: 'beta', title: 'TASK-BETA write b.txt', description: 'Create b.txt.', type: 'code', dependsOn: [], files: [], acceptance: 'b.txt exists' },
      ],
    });
    const write = (file: string) => ({ tool: 'Write', input: { file_path: `{{cwd}}/${file}`, content: `${file}\n` } });
    const model = await serve({
      scripts: [
        { name: 'planner', match: { prompt: 'You are the planner' }, turns: [{ text: planAnswer }] },
        { name: 'beta', match: { prompt: 'TASK-BETA' }, turns: [write('b.txt'), { text: 'done' }] },
        { name: 'alpha', match: { prompt: 'TASK-ALPHA' }, turns: [write('a.txt'), { text: 'done' }] },
      ],
    });
    const home = await temp.dir();
    const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': claudeConfig() } });
    const term = terminal(await temp.dir());
    try {
      term.start(orchArgv('run', 'write a and b', '--strategy', 'plan', '--test-cmd', 'test -f README.md'), { ORCH_HOME: home, ...claudeEnv(model, join(home, 'claude')) }, repo.root);
      const end = await term.waitFor('the end', () => term.exitStatus() !== null, 120_000);
      expect(term.exitStatus(), end).toBe(0);
      expect(end).toMatch(/# task +agent +status/);
      const rows = end.split('\n').filter((line) => /^[› ] +1 (alpha|beta) +claude/.test(line));
      expect(rows, end).toHaveLength(2);
      expect(rows.every((line) => line.includes('★'))).toBe(true);
      expect(end).toContain('tasks merged: 2 of 2');
      expect(end).not.toContain('winner:');
    } finally {
      term.close();
    }
  });

  it('Ctrl+C in the dashboard stops the agents and interrupts the run, as it does without it', async () => {
    const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': fakeAgentConfig({ print: ['thinking'], hang: true }) } });
    const home = await temp.dir();
    const term = terminal(await temp.dir());
    try {
      term.start(orchArgv('run', 'never ends', '--strategy', 'best-of-n', '-S', 'n=2'), { ORCH_HOME: home }, repo.root);
      await term.waitFor('two running attempts', (s) => s.includes('2 attempts  ● 2 running'));
      term.keys('C-c');
      const end = await term.waitFor('the end', () => term.exitStatus() !== null, 30_000);
      expect(term.exitStatus(), end).toBe(130);
      expect(end).toContain('2 attempts  ‖ 2 interrupted');
      expect(end).toContain('✘ run interrupted');
      expect(end).toMatch(/resume it with: orch resume run_\w+/);
      const runs = JSON.parse((await runOrch(['runs', '--json'], { cwd: repo.root, home })).stdout) as { status: string }[];
      expect(runs.map((r) => r.status)).toEqual(['interrupted']);
    } finally {
      term.close();
    }
  });

  it('orch watch follows a run that another process executes, and leaves with it', async () => {
    // The agents work until both watchers are following the run.
    const home = await temp.dir();
    const release = join(home, 'release');
    const plan = { files: { 'src/feature.txt': 'done\n' }, print: ['writing src/feature.txt'], waitForFile: release };
    const repo = await temp.repo({ files: { 'README.md': 'hello\n', 'orch.config.json': fakeAgentConfig(plan) } });
    const running = runOrch(['run', 'add the feature file', '--strategy', 'best-of-n', '-S', 'n=2', '--test-cmd', 'test -f src/feature.txt', '--json'], { cwd: repo.root, home });
    const term = terminal(await temp.dir(), { columns: 100, rows: 24 });
    try {
      const runId = await startedRunId(repo.root, home, running);
      term.start(orchArgv('watch', runId), { ORCH_HOME: home }, repo.root);
      const live = await term.waitFor('the run in the dashboard', (s) => s.includes('2 attempts  ● 2 running'), 30_000);
      expect(live).toContain(runId);
      expect(live).toContain('q or Ctrl+C: stop watching (the run goes on)');
      const lines: string[] = [];
      const plain = supervise({
        argv: orchArgv('watch', runId.slice(0, -3), '--no-tui'),
        cwd: repo.root,
        env: { ...process.env, ORCH_HOME: home },
        totalTimeoutMs: guard(120_000),
        onLine: (stream, line) => stream === 'stdout' && lines.push(line),
      });
      await waitFor(() => lines.some((line) => line.startsWith(`run ${runId} started`)), { what: 'the plain watcher to follow the run', timeoutMs: 60_000 });
      writeFileSync(release, '');
      const end = await term.waitFor('the end', () => term.exitStatus() !== null);
      expect(term.exitStatus(), end).toBe(0);
      expect(end).toContain('✔ run succeeded');
      expect(end).toContain('merge merged');
      expect((await plain).exitCode, lines.join('\n')).toBe(0);
      expect(lines).toContain(`run ${runId} started: best-of-n → main`);
      expect(lines.at(-1)).toMatch(/^run succeeded: /);
      expect((await running).exitCode).toBe(0);
    } finally {
      writeFileSync(release, '');
      term.close();
      await running;
    }
  });
});
