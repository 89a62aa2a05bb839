// Distributed runs with the REAL Claude Code CLI against the scripted model: a coordinator that has no agent at all
// (its config names a Claude binary that does not exist), two `orch worker` processes with their own ORCH_HOMEs,
// Redis between them (a real redis-server), and a bare remote over file:// that the user's checkout pushed to.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/distributed/connection.ts';
import { listWorkers } from '../../src/distributed/workers-list.ts';
import { git } from '../../src/git/exec.ts';
import type { ScriptTurnInput, ScriptedAnthropicServer } from '../../src/testkit/index.ts';
import { claudeConfig, claudeEnv, goodMath, mathProject, useScriptedServers } from '../helpers/claude-run.ts';
import { snapshotTree, useTempRepos } from '../helpers/git-fixture.ts';
import { repoRoot, runOrch } from '../helpers/orch-cli.ts';
import { useWorkers, type TestWorker } from '../helpers/orch-worker.ts';
import { useRedis } from '../helpers/redis.ts';
import { waitFor } from '../helpers/wait-for.ts';

const temp = useTempRepos();
const redis = useRedis();
const startWorker = useWorkers();
const scripted = useScriptedServers();

interface Report {
  run: { id: string; status: string; costUsd: number };
  attempts: { id: string; status: string; reason: string; branch: string; turns: number; costUsd: number }[];
  merges: { status: string; attemptId: string }[];
  delivery: { status: string };
}

interface OrchEvent {
  type: string;
  attemptId: string | null;
  data: Record<string, unknown>;
}

/** The user's project on a bare remote; the coordinator's config names no agent it could run. */
async function project() {
  const noAgentHere = JSON.stringify({ agent: 'claude', agents: { claude: { binary: '/nonexistent/claude', maxRetries: 0 } } });
  const user = await temp.repo({ files: { ...mathProject, 'orch.config.json': noAgentHere } });
  const remote = join(user.dir, 'remote.git');
  await git(['clone', '--quiet', '--bare', user.root, remote], { cwd: user.dir });
  const workerConfig = join(user.dir, 'worker.json');
  await writeFile(workerConfig, claudeConfig());
  return { user, remote, url: `file://${remote}`, workerConfig };
}

async function twoWorkers(server: ScriptedAnthropicServer, workerConfig: string, stallSeconds = 30): Promise<TestWorker[]> {
  const cwd = await temp.dir();
  const workers: TestWorker[] = [];
  for (const name of ['w1', 'w2']) {
    const home = await temp.dir();
    workers.push(await startWorker({ redis: redis().url, home, name, agents: 'claude', config: workerConfig, cwd, env: claudeEnv(server, join(home, 'claude')), stallSeconds }));
  }
  return workers;
}

/** Which worker took each delivery of each attempt, from the run's event log. */
async function deliveries(runId: string, cwd: string, home: string): Promise<{ attemptId: string; worker: string; delivery: number }[]> {
  const result = await runOrch(['events', runId, '--json'], { cwd, home });
  const events = JSON.parse(result.stdout) as OrchEvent[];
  return events
    .filter((event) => event.type === 'attempt.worker')
    .map((event) => ({ attemptId: event.attemptId ?? '', worker: String(event.data['worker']), delivery: Number(event.data['delivery']) }));
}

/** The worker whose heartbeat shows an attempt running. */
async function busyWorker(): Promise<string> {
  const client = connectRedis(redis().url);
  try {
    return await waitFor(async () => (await listWorkers(client)).find((beat) => beat.running.length > 0)?.id, { timeoutMs: 120_000, intervalMs: 50, what: 'a worker to take the attempt' });
  } finally {
    client.disconnect();
  }
}

const writeGood: ScriptTurnInput = { tool: 'Write', input: { file_path: '{{cwd}}/src/math.js', content: goodMath } };

describe('distributed runs with Claude Code', () => {
  it('runs a best-of-4 on two workers: attempts on both, one merged on the remote, the user checkout untouched', async () => {
    // The first answer takes a moment, so that each worker holds two attempts at once.
    const server = await scripted({ script: [{ ...writeGood, delayMs: 1500 }, { text: 'Fixed add.' }] });
    const { user, remote, url, workerConfig } = await project();
    const before = await snapshotTree(user.root);
    const oldMain = (await git(['rev-parse', 'main'], { cwd: remote })).stdout;
    await twoWorkers(server, workerConfig);
    const cwd = await temp.dir();
    const home = await temp.dir();

    const result = await runOrch(
      ['run', 'fix add', '--repo-url', url, '--executor', 'queue', '--redis', redis().url, '--strategy', 'best-of-n', '-S', 'n=4', '--test-cmd', 'node --test', '--json'],
      { cwd, home, timeoutMs: 300_000 },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.run.status).toBe('succeeded');
    expect(report.attempts).toHaveLength(4);
    for (const attempt of report.attempts) expect(attempt).toMatchObject({ status: 'succeeded', turns: 2 });
    expect(report.attempts.every((attempt) => attempt.costUsd > 0)).toBe(true);
    expect(server.requests).toBe(8);

    const taken = await deliveries(report.run.id, cwd, home);
    expect(taken).toHaveLength(4);
    expect(new Set(taken.map((t) => t.worker))).toEqual(new Set(['w1', 'w2']));
    // orch show says which worker ran each attempt.
    const shown = await runOrch(['show', report.run.id], { cwd, home });
    for (const attempt of report.attempts) expect(shown.stdout).toMatch(new RegExp(`${attempt.id}: .* worker: w[12] \\(`));

    expect(report.merges).toHaveLength(1);
    expect(report.merges[0]?.status).toBe('merged');
    expect(report.delivery.status).toBe('pushed');
    expect((await git(['show', 'main:src/math.js'], { cwd: remote })).stdout + '\n').toBe(goodMath);
    expect((await git(['merge-base', '--is-ancestor', oldMain, 'main'], { cwd: remote, allowFailure: true })).exitCode).toBe(0);
    // The user's checkout is exactly as it was.
    expect(await snapshotTree(user.root)).toEqual(before);
  });

  it('re-delivers the attempt of a worker killed -9 mid-attempt to the other worker, counting its cost once', async () => {
    // The second answer is slow: the kill lands after the agent's first turn was streamed and counted.
    const readBack: ScriptTurnInput = { tool: 'Read', input: { file_path: '{{cwd}}/src/math.js' }, delayMs: 4000 };
    const server = await scripted({ script: [writeGood, readBack, { text: 'Fixed add.' }] });
    const { remote, url, workerConfig } = await project();
    const workers = await twoWorkers(server, workerConfig, 3);
    const cwd = await temp.dir();
    const home = await temp.dir();

    const running = runOrch(['run', 'fix add', '--repo-url', url, '--redis', redis().url, '--test-cmd', 'node --test', '--json'], { cwd, home, timeoutMs: 300_000 });
    const first = await busyWorker();
    await waitFor(() => server.requests >= 2, { timeoutMs: 120_000, what: 'the agent to be in its second turn' });
    await workers.find((worker) => worker.name === first)?.kill9();

    const result = await running;
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.run.status).toBe('succeeded');
    expect(report.attempts).toHaveLength(1);
    const [attempt] = report.attempts;
    // One attempt, its turns and money once: the dead delivery's first turn is not added to the second's three.
    expect(attempt).toMatchObject({ status: 'succeeded', turns: 3 });
    expect(report.run.costUsd).toBeCloseTo(attempt?.costUsd ?? -1, 10);
    // The dead delivery's turns reached the model (two requests), then the whole conversation again (three).
    expect(server.requests).toBe(5);

    const taken = await deliveries(report.run.id, cwd, home);
    const other = first === 'w1' ? 'w2' : 'w1';
    expect(taken).toEqual([
      { attemptId: attempt?.id, worker: first, delivery: 1 },
      { attemptId: attempt?.id, worker: other, delivery: 2 },
    ]);
    expect(report.merges[0]?.status).toBe('merged');
    expect((await git(['show', 'main:src/math.js'], { cwd: remote })).stdout + '\n').toBe(goodMath);
  });

  it('takes a run up again after the coordinator was killed -9: orch resume re-attaches, no attempt runs twice', async () => {
    const server = await scripted({ script: [writeGood, { text: 'Fixed add.', delayMs: 3000 }] });
    const { remote, url, workerConfig } = await project();
    await twoWorkers(server, workerConfig);
    const cwd = await temp.dir();
    const home = await temp.dir();

    const coordinator = spawn(process.execPath, [`${repoRoot}/bin/orch.js`, 'run', 'fix add', '--repo-url', url, '--redis', redis().url, '--test-cmd', 'node --test', '--no-tui'], {
      cwd,
      env: { ...process.env, ORCH_HOME: home },
      stdio: 'ignore',
    });
    const gone = new Promise((resolve) => coordinator.once('exit', resolve));
    await busyWorker();
    await waitFor(() => server.requests >= 1, { timeoutMs: 120_000, what: 'the agent to start' });
    coordinator.kill('SIGKILL');
    await gone;

    const runs = await runOrch(['runs', '--all', '--json'], { cwd, home });
    const [run] = JSON.parse(runs.stdout) as { id: string }[];
    const resumed = await runOrch(['resume', run?.id ?? '', '--json'], { cwd, home, timeoutMs: 300_000 });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout) as Report;
    expect(report.run.status).toBe('succeeded');
    expect(report.attempts).toHaveLength(1);
    expect(report.attempts[0]).toMatchObject({ status: 'succeeded', turns: 2 });
    // One conversation of two turns: the attempt ran once, on the worker that had it.
    expect(server.requests).toBe(2);
    expect((await deliveries(report.run.id, cwd, home)).map((t) => t.delivery)).toEqual([1]);
    expect(report.merges[0]?.status).toBe('merged');
    expect(report.delivery.status).toBe('pushed');
    expect((await git(['show', 'main:src/math.js'], { cwd: remote })).stdout + '\n').toBe(goodMath);
  });
});
