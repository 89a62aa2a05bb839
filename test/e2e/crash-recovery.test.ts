// Crash recovery and two orch processes on one project: a SIGKILLed orch leaves nothing running, the next start
// says what it found, and the run resumes; a second orch never takes a run another live orch is working on.
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../../src/process/registry.ts';
import { supervise } from '../../src/process/supervise.ts';
import { useTempRepos } from '../helpers/git-fixture.ts';
import { guard } from '../helpers/slack.ts';
import { fakeAgentConfig, repoRoot, runOrch } from '../helpers/orch-cli.ts';
import { claudeConfig, claudeEnv, goodMath, mathProject, useScriptedServers, type Report } from '../helpers/claude-run.ts';
import { storedAttempts, storedRunStatus, storedTaskCount } from '../helpers/orch-db.ts';
import { waitFor } from '../helpers/wait-for.ts';

const temp = useTempRepos();
const serve = useScriptedServers();
const writeGood = { tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content: goodMath } };

describe('crash recovery', () => {
  it('after SIGKILL while 3 agents run, the next start stops them, keeps the run resumable, and resume completes it', async () => {
    // Every conversation's first request hangs once; after the resume the agents go on and write the fix.
    const server = await serve({ script: [{ hang: true, times: 3 }, writeGood, writeGood, { text: 'done' }] });
    // Without the OS sandbox: a sandboxed agent dies with its orch (bubblewrap's --die-with-parent), so there would
    // be no orphan to recover. This is the case of `--sandbox none` and of machines without bubblewrap.
    const repo = await temp.repo({ files: { ...mathProject, 'orch.config.json': claudeConfig({ sandbox: { mode: 'none' } }) } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const env = claudeEnv(server, join(home, 'claude'));
    let orchPid = 0;
    let runId = '';
    const agents: number[] = [];
    let notAtWork: unknown;
    await supervise({
      argv: [process.execPath, join(repoRoot, 'bin/orch.js'), 'run', 'fix add', '--strategy', 'best-of-n', '-S', 'n=3', '--target', 'main', '--test-cmd', 'node --test', '--no-tui'],
      cwd: repo.root,
      env: { ...process.env, ORCH_HOME: home, ...env },
      totalTimeoutMs: guard(60_000),
      onSpawn: (pid) => (orchPid = pid),
      onLine: (_stream, line) => {
        runId ||= /run (run_[0-9a-z]+) started/.exec(line)?.[1] ?? '';
        const agent = /agent running \(pid (\d+)\)/.exec(line);
        if (agent) agents.push(Number(agent[1]));
        // Kill orch once all three agents wait on the model and orch has stored their sessions (for the resume).
        if (agent && agents.length === 3) {
          const atWork = () => server.requestLog.filter((r) => r.answer === 'hang').length === 3 && storedAttempts(home, runId).filter((a) => a.sessionId !== null).length === 3;
          void waitFor(atWork, { what: 'three agents waiting on the model', timeoutMs: 45_000 })
            .then(() => undefined, (error: unknown) => (notAtWork = error))
            .then(() => process.kill(orchPid, 'SIGKILL'));
        }
      },
    });
    expect(notAtWork).toBeUndefined();
    expect(agents).toHaveLength(3);
    // orch is gone; its agents (each in its own process group) are still there, waiting on the model.
    expect(agents.every((pid) => isAlive(pid))).toBe(true);

    // The next start of orch, whatever the command, reconciles.
    const next = await runOrch(['runs', '--json'], { cwd: repo.root, home, env });
    expect(next.stderr).toContain(`run ${runId} was left running by an orch that stopped`);
    expect(next.stderr).toContain('stopped 3 agent process(es)');
    await waitFor(() => agents.every((pid) => !isAlive(pid)), { what: 'the three agents to be gone' });
    const runs = JSON.parse(next.stdout) as { id: string; status: string }[];
    expect(runs.find((r) => r.id === runId)?.status).toBe('interrupted');
    // Every worktree git knows of is one orch recorded for the run (kept for the resume): none is orphaned.
    const worktrees = (await repo.git(['worktree', 'list', '--porcelain'])).split('\n').filter((l) => l.startsWith('worktree ')).slice(1);
    expect(worktrees).toHaveLength(3);
    expect(worktrees.every((w) => w.startsWith(`worktree ${join(home, 'worktrees')}`))).toBe(true);

    const resumed = await runOrch(['resume', runId, '--json'], { cwd: repo.root, home, env, timeoutMs: 120_000 });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout) as Report;
    expect(report.run.status).toBe('succeeded');
    expect(report.merges[0]?.status).toBe('merged');
    expect((await repo.git(['worktree', 'list', '--porcelain'])).split('\n').filter((l) => l.startsWith('worktree '))).toHaveLength(1);
  });
});

describe('work that exists is kept after a kill -9', () => {
  it('an agent orphaned by orch killed as it started goes on in its own session: nothing it did is redone', async () => {
    // The agent writes two files, then its model hangs once; orch dies the moment the agent starts, so the agent works
    // on alone (without the OS sandbox it outlives its orch) until the next start of orch stops it.
    const file = (name: string) => ({ tool: 'Write', input: { file_path: `{{cwd}}/${name}`, content: `${name}\n` } });
    const server = await serve({ script: [file('a.txt'), file('b.txt'), { hang: true, times: 1 }, file('c.txt'), { text: 'done' }] });
    const repo = await temp.repo({ files: { 'README.md': 'x\n', 'orch.config.json': claudeConfig({ sandbox: { mode: 'none' } }) } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const env = claudeEnv(server, join(home, 'claude'));
    let orchPid = 0;
    let runId = '';
    let agent = 0;
    await supervise({
      argv: [process.execPath, join(repoRoot, 'bin/orch.js'), 'run', 'write the files', '--target', 'main', '--no-tui'],
      cwd: repo.root,
      env: { ...process.env, ORCH_HOME: home, ...env },
      totalTimeoutMs: 60_000,
      onSpawn: (pid) => (orchPid = pid),
      onLine: (_stream, line) => {
        runId ||= /run (run_[0-9a-z]+) started/.exec(line)?.[1] ?? '';
        const running = /agent running \(pid (\d+)\)/.exec(line);
        if (running && agent === 0) {
          agent = Number(running[1]);
          process.kill(orchPid, 'SIGKILL');
        }
      },
    });
    expect(agent).toBeGreaterThan(0);
    // orch knew the session before the agent started, though the agent had not said a word yet.
    expect(storedAttempts(home, runId)[0]?.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(() => server.requestLog.some((r) => r.answer === 'hang'), { what: 'the orphaned agent to write two files and wait on the model' });
    const next = await runOrch(['runs', '--json'], { cwd: repo.root, home, env });
    expect(next.stderr).toContain('stopped 1 agent process(es)');

    const resumed = await runOrch(['resume', runId, '--json'], { cwd: repo.root, home, env, timeoutMs: 120_000 });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout) as Report;
    expect(report.run.status).toBe('succeeded');
    expect(report.attempts).toHaveLength(1);
    // One conversation from its first turn: the files the orphan wrote were not written again by a new one.
    const log = JSON.stringify(server.requestLog.map((r) => [r.conversation, r.turn, r.answer]));
    expect(server.requestLog.filter((r) => r.turn === 0), log).toHaveLength(1);
    expect(await repo.git(['show', 'main:a.txt'])).toBe('a.txt');
    expect(await repo.git(['show', 'main:b.txt'])).toBe('b.txt');
  });

  it('a kill -9 right after the plan is made does not ask the planner again', async () => {
    const plan = JSON.stringify({
      found: 'a small repository',
      proposal: 'one task',
      deferred: [],
      risks: [],
      tasks: [{ id: 'A', title: 'TASK-A write a.txt', description: 'Create a.txt holding A.', type: 'code', dependsOn: [], files: [], acceptance: 'a.txt exists' }],
    });
    const server = await serve({
      scripts: [
        { name: 'planner', match: { prompt: 'You are the planner' }, turns: [{ text: plan }] },
        { name: 'A', match: { prompt: 'TASK-A' }, turns: [{ tool: 'Write', input: { file_path: '{{cwd}}/a.txt', content: 'A\n' } }, { text: 'done' }] },
      ],
    });
    const repo = await temp.repo({ files: { 'README.md': 'x\n', 'orch.config.json': claudeConfig() } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const env = claudeEnv(server, join(home, 'claude'));
    let orchPid = 0;
    let runId = '';
    let killed: unknown;
    await supervise({
      argv: [process.execPath, join(repoRoot, 'bin/orch.js'), 'run', 'make a.txt', '--strategy', 'plan', '--target', 'main', '--no-tui'],
      cwd: repo.root,
      env: { ...process.env, ORCH_HOME: home, ...env },
      totalTimeoutMs: 60_000,
      onSpawn: (pid) => (orchPid = pid),
      onLine: (_stream, line) => {
        const started = /run (run_[0-9a-z]+) started/.exec(line)?.[1];
        if (started === undefined || runId !== '') return;
        runId = started;
        // The moment the plan's tasks are in the store, orch dies.
        void waitFor(() => storedTaskCount(home, runId) > 0, { what: 'the plan to be stored', intervalMs: 2 })
          .then(() => undefined, (error: unknown) => (killed = error))
          .then(() => process.kill(orchPid, 'SIGKILL'));
      },
    });
    expect(killed).toBeUndefined();
    expect(server.requestLog.filter((r) => r.script === 'planner')).toHaveLength(1);

    const resumed = await runOrch(['resume', runId, '--json'], { cwd: repo.root, home, env, timeoutMs: 120_000 });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect((JSON.parse(resumed.stdout) as Report).run.status).toBe('succeeded');
    expect(server.requestLog.filter((r) => r.script === 'planner')).toHaveLength(1);
    expect(await repo.git(['show', 'main:a.txt'])).toBe('A');
    // The planner's worktree is gone too, though orch died before removing it.
    expect((await repo.git(['worktree', 'list', '--porcelain'])).split('\n').filter((l) => l.startsWith('worktree '))).toHaveLength(1);
  }, 180_000);
});

describe('kill -9 just after a run succeeded', () => {
  it('the next start removes the worktrees the ended run no longer needs (was: left until orch clean)', async () => {
    const dir = await temp.dir();
    const started = join(dir, 'started');
    const goAhead = join(dir, 'go-ahead');
    const repo = await temp.repo({ files: { 'README.md': 'x\n', 'orch.config.json': fakeAgentConfig({ files: { 'x.txt': 'x\n' }, startedFile: started, waitForFile: goAhead }) } });
    const home = join(dir, 'home');
    const lock = join(repo.root, '.git', 'orch-worktrees.lock');
    let orchPid = 0;
    let runId = '';
    const ended = supervise({
      argv: [process.execPath, join(repoRoot, 'bin/orch.js'), 'run', 'add x.txt', '--no-tui'],
      cwd: repo.root,
      env: { ...process.env, ORCH_HOME: home },
      totalTimeoutMs: 60_000,
      onSpawn: (pid) => (orchPid = pid),
      onLine: (_stream, line) => (runId ||= /run (run_[0-9a-z]+) started/.exec(line)?.[1] ?? ''),
    });
    // The agent works in its worktree; orch's worktree lock, held here, makes the run's end wait just after it
    // recorded success and before it removed the worktree: the moment a kill -9 leaves the worktree behind.
    await waitFor(() => existsSync(started) && runId !== '', { what: 'the agent at work' });
    writeFileSync(lock, '');
    writeFileSync(goAhead, '');
    await waitFor(() => storedRunStatus(home, runId) === 'succeeded', { what: 'the run recorded as succeeded', timeoutMs: 45_000 });
    process.kill(orchPid, 'SIGKILL');
    await ended;
    rmSync(lock);
    const listed = async () => (await repo.git(['worktree', 'list', '--porcelain'])).split('\n').filter((l) => l.startsWith('worktree '));
    expect(await listed()).toHaveLength(2);

    const next = await runOrch(['runs', '--json'], { cwd: repo.root, home });
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.stderr).toContain('removed 1 worktree(s) of runs that had ended');
    expect(await listed()).toHaveLength(1);
    expect(readdirSync(join(home, 'worktrees'), { recursive: true }).filter((entry) => String(entry).split('/').length === 2)).toEqual([]);
    // The run stays succeeded, its work merged and its branch kept.
    expect((JSON.parse(next.stdout) as { id: string; status: string }[]).find((r) => r.id === runId)?.status).toBe('succeeded');
    expect(await repo.git(['show', 'main:x.txt'])).toBe('x');
    expect(await repo.git(['branch', '--list', `orch/${runId}/*`])).not.toBe('');
    // A second start finds nothing more to do.
    expect((await runOrch(['runs'], { cwd: repo.root, home })).stderr).not.toContain('removed');
  });
});

describe('two orch processes on one project', () => {
  it('run side by side without corrupting the store or taking each other’s work', async () => {
    const repo = await temp.repo({ files: { 'README.md': 'x\n' } });
    await repo.git(['switch', '--quiet', '-c', 'other']);
    const home = await temp.dir();
    const configA = join(home, 'a.json');
    const configB = join(home, 'b.json');
    // The first run's agent works until the test lets it finish.
    const [startedA, releaseA] = [join(home, 'a-started'), join(home, 'a-release')];
    writeFileSync(configA, fakeAgentConfig({ files: { 'a.txt': 'a\n' }, startedFile: startedA, waitForFile: releaseA }));
    writeFileSync(configB, fakeAgentConfig({ files: { 'b.txt': 'b\n' } }));
    const first = runOrch(['run', 'make a', '--config', configA, '--target', 'main', '--json'], { cwd: repo.root, home });
    let firstEnded = false;
    void first.then(() => (firstEnded = true));
    await waitFor(() => existsSync(startedA) || firstEnded, { what: "the first run's agent to start" });
    // While the first runs, a second orch may not take its run over…
    const runs = JSON.parse((await runOrch(['runs', '--json'], { cwd: repo.root, home })).stdout) as { id: string; status: string }[];
    expect(runs[0]?.status).toBe('running');
    const takeover = await runOrch(['resume', runs[0]?.id ?? ''], { cwd: repo.root, home });
    expect(takeover.exitCode).toBe(2);
    expect(takeover.stderr).toContain('is being worked on by another orch process');
    // …but it can run its own work beside it.
    const second = await runOrch(['run', 'make b', '--config', configB, '--target', 'main', '--json'], { cwd: repo.root, home });
    writeFileSync(releaseA, '');
    const firstResult = await first;
    expect(firstResult.exitCode, firstResult.stderr).toBe(0);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(await repo.git(['show', 'main:a.txt'])).toBe('a');
    expect(await repo.git(['show', 'main:b.txt'])).toBe('b');
    const all = JSON.parse((await runOrch(['runs', '--json'], { cwd: repo.root, home })).stdout) as { status: string }[];
    expect(all.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
  });
});

describe('patrol', () => {
  it('pauses a project after N failed runs in a row, says so, and refuses runs until unpaused', async () => {
    const repo = await temp.repo({ files: { 'orch.config.json': fakeAgentConfig({ exitCode: 1 }, { patrol: { pauseAfterFailures: 2 } }) } });
    const home = await temp.dir();
    for (let i = 0; i < 2; i++) expect((await runOrch(['run', `try ${i}`], { cwd: repo.root, home })).exitCode).toBe(1);
    const refused = await runOrch(['run', 'once more'], { cwd: repo.root, home });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('This project is paused: paused after 2 failed runs in a row');
    expect((await runOrch(['runs'], { cwd: repo.root, home })).stdout).toContain('This project is PAUSED');
    expect((await runOrch(['project', 'unpause'], { cwd: repo.root, home })).exitCode).toBe(0);
    expect((await runOrch(['run', 'after unpause'], { cwd: repo.root, home })).exitCode).toBe(1);
  });
});
