// The queue executor with the command agent: a coordinator on one ORCH_HOME, `orch worker`s on others, Redis
// between them, a bare remote over file:// — the mechanics (routing, streaming, cancel, workers list) fast.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git } from '../../src/git/exec.ts';
import { snapshotTree, useTempRepos } from '../helpers/git-fixture.ts';
import { Queue } from 'bullmq';
import { redisOptions } from '../../src/distributed/connection.ts';
import { queueName, queuePrefix } from '../../src/distributed/protocol.ts';
import { isAlive } from '../../src/process/registry.ts';
import { orchPaths } from '../../src/domain/paths.ts';
import { Engine } from '../../src/engine/run/engine.ts';
import { createApp } from '../../src/server/app.ts';
import { Store } from '../../src/store/store.ts';
import { fakeAgentConfig, repoRoot, runOrch } from '../helpers/orch-cli.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { useRedis } from '../helpers/redis.ts';
import { useWorkers } from '../helpers/orch-worker.ts';

const temp = useTempRepos();
const redis = useRedis();
const startWorker = useWorkers();

interface Report {
  run: { id: string; status: string; costUsd: number };
  attempts: { id: string; status: string; reason: string; branch: string }[];
  merges: { status: string }[];
  delivery: { status: string };
}

async function project(plan: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const user = await temp.repo({ files: { 'README.md': 'hi\n', 'orch.config.json': fakeAgentConfig(plan, extra) } });
  const remote = join(user.dir, 'remote.git');
  await git(['clone', '--quiet', '--bare', user.root, remote], { cwd: user.dir });
  // The workers' own settings for the command agent (the coordinator's config names it too, but never runs it).
  const workerConfig = join(user.dir, 'worker.json');
  await writeFile(workerConfig, fakeAgentConfig(plan));
  return { user, remote, url: `file://${remote}`, workerConfig };
}

describe('the queue executor', () => {
  it('runs a best-of-3 on two workers, merges on the remote, and lists the workers', async () => {
    const { user, remote, url, workerConfig } = await project({ files: { 'feature.txt': 'done\n' }, print: ['working on it'] });
    const before = await snapshotTree(user.root);
    const cwd = await temp.dir();
    await startWorker({ redis: redis().url, home: await temp.dir(), name: 'w1', agents: 'command', config: workerConfig, cwd });
    await startWorker({ redis: redis().url, home: await temp.dir(), name: 'w2', agents: 'command,claude', config: workerConfig, cwd });

    const listed = await runOrch(['workers', '--redis', redis().url, '--json'], { cwd, home: await temp.dir() });
    expect(listed.exitCode, listed.stderr).toBe(0);
    const workers = JSON.parse(listed.stdout) as { id: string; agents: string[] }[];
    expect(workers.map((w) => [w.id, w.agents])).toEqual([
      ['w1', ['command']],
      ['w2', ['command', 'claude']],
    ]);

    // The API sees them too (orch serve --redis), and says what to do when it has no Redis.
    const apiHome = await temp.dir();
    const store = new Store(orchPaths(apiHome).database);
    try {
      const key = store.apiKeys.create('test', ['read']).key;
      const get = (app: ReturnType<typeof createApp>) => app.request('http://orch.test/api/v1/workers', { headers: { authorization: `Bearer ${key}` } });
      const engine = new Engine({ store, home: apiHome });
      const answer = await get(createApp({ engine, store, home: apiHome, redisUrl: redis().url }));
      expect(answer.status).toBe(200);
      expect(((await answer.json()) as { workers: { id: string }[] }).workers.map((w) => w.id)).toEqual(['w1', 'w2']);
      const none = await get(createApp({ engine, store, home: apiHome }));
      expect(none.status).toBe(409);
      expect(await none.text()).toContain('orch serve --redis');
    } finally {
      store.close();
    }

    const home = await temp.dir();
    const result = await runOrch(['run', 'add a feature', '--repo-url', url, '--redis', redis().url, '--strategy', 'best-of-n', '-S', 'n=3', '--json'], { cwd, home, timeoutMs: 180_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.run.status).toBe('succeeded');
    expect(report.attempts.map((a) => a.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(report.merges[0]?.status).toBe('merged');
    expect(report.delivery.status).toBe('pushed');
    expect((await git(['show', 'main:feature.txt'], { cwd: remote })).stdout).toBe('done');
    // Every attempt's branch was pushed by the worker that ran it.
    for (const attempt of report.attempts) expect((await git(['rev-parse', '--verify', attempt.branch], { cwd: remote, allowFailure: true })).exitCode).toBe(0);
    // The coordinator kept each attempt's log from the streamed events.
    const logs = await runOrch(['logs', report.attempts[0]?.id ?? ''], { cwd, home });
    expect(logs.stdout).toContain('working on it');
    expect(await snapshotTree(user.root)).toEqual(before);
  });

  it('refuses a queue run of a local checkout, and a Redis URL with a password, changing nothing', async () => {
    const { user } = await project({ files: { 'x.txt': 'x\n' } });
    const home = await temp.dir();
    const local = await runOrch(['run', 'x', '--redis', redis().url], { cwd: user.root, home });
    expect(local.exitCode).toBe(2);
    expect(local.stderr).toContain('--repo-url');
    const secret = await runOrch(['run', 'x', '--redis', 'redis://:hunter2@127.0.0.1:1'], { cwd: user.root, home });
    expect(secret.exitCode).toBe(2);
    expect(secret.stderr).toContain('ORCH_REDIS_PASSWORD');
    expect(secret.stderr).not.toContain('hunter2');
    expect(existsSync(join(user.root, '.orch'))).toBe(false);
  });

  it('stops the agent on its worker within seconds when the coordinator is interrupted', async () => {
    const agentDir = await temp.dir();
    const started = join(agentDir, 'started');
    const { url, workerConfig } = await project({ hang: true, startedFile: started });
    const cwd = await temp.dir();
    await startWorker({ redis: redis().url, home: await temp.dir(), name: 'w1', agents: 'command', config: workerConfig, cwd });
    const home = await temp.dir();
    const coordinator = spawn(process.execPath, [`${repoRoot}/bin/orch.js`, 'run', 'x', '--repo-url', url, '--redis', redis().url, '--no-tui'], { cwd, env: { ...process.env, ORCH_HOME: home }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => coordinator.once('exit', (code) => resolve(code)));
    const pid = await waitFor(() => (existsSync(started) ? Number(readFileSync(started, 'utf8')) : undefined), { timeoutMs: 60_000, what: 'the agent to start on the worker' });
    expect(isAlive(pid)).toBe(true);
    coordinator.kill('SIGINT');
    await waitFor(() => !isAlive(pid), { timeoutMs: 15_000, what: "the worker to stop the agent" });
    expect(await exited).toBe(130);
    const shown = await runOrch(['runs', '--all', '--json'], { cwd, home });
    expect((JSON.parse(shown.stdout) as { status: string }[])[0]?.status).toBe('interrupted');
  });

  it('keeps a job for an agent no worker has until one that has it comes, through a Redis restart', async () => {
    const { url, workerConfig, remote } = await project({ files: { 'feature.txt': 'done\n' } });
    const cwd = await temp.dir();
    // This worker has no command agent: it must never take the job.
    await startWorker({ redis: redis().url, home: await temp.dir(), name: 'claude-only', agents: 'claude', config: workerConfig, cwd });
    const home = await temp.dir();
    const running = runOrch(['run', 'add a feature', '--repo-url', url, '--redis', redis().url, '--json'], { cwd, home, timeoutMs: 180_000 });
    const queue = new Queue(queueName('command'), { connection: redisOptions(redis().url), prefix: queuePrefix });
    try {
      await waitFor(async () => (await queue.getJobCounts('wait')).wait === 1, { timeoutMs: 60_000, what: 'the attempt to be queued' });
      // Redis goes down and comes back from its append-only file: the job is still there, still waiting.
      await redis().restart();
      await waitFor(async () => (await queue.getJobCounts('wait')).wait === 1, { timeoutMs: 30_000, what: 'the job after the restart' });
      expect((await queue.getJobCounts('active')).active).toBe(0);
      await startWorker({ redis: redis().url, home: await temp.dir(), name: 'has-command', agents: 'command', config: workerConfig, cwd });
      const result = await running;
      expect(result.exitCode, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout) as Report;
      expect(report.run.status).toBe('succeeded');
      const events = JSON.parse((await runOrch(['events', report.run.id, '--json'], { cwd, home })).stdout) as { type: string; data: Record<string, unknown> }[];
      const workers = events.filter((e) => e.type === 'attempt.worker').map((e) => e.data['worker']);
      expect(workers).toEqual(['has-command']);
      expect((await git(['show', 'main:feature.txt'], { cwd: remote })).stdout).toBe('done');
    } finally {
      await queue.close();
    }
  });

  it("takes a project's attempts by its priority: the more urgent project's attempt first, though queued second", async () => {
    const cwd = await temp.dir();
    const runs: { url: string; home: string; running: Promise<{ exitCode: number | null; stdout: string; stderr: string }> }[] = [];
    let workerConfig = '';
    const queue = new Queue(queueName('command'), { connection: redisOptions(redis().url), prefix: queuePrefix });
    try {
      for (const priority of [5, 1]) {
        const made = await project({ files: { 'feature.txt': `priority ${priority}\n` } }, { executor: { kind: 'queue', redis: redis().url, priority } });
        workerConfig = made.workerConfig;
        const home = await temp.dir();
        runs.push({ url: made.url, home, running: runOrch(['run', `priority ${priority}`, '--repo-url', made.url, '--json'], { cwd, home, timeoutMs: 180_000 }) });
        // Queued one after the other: the less urgent project first.
        await waitFor(async () => (await queue.getJobCounts('prioritized')).prioritized === runs.length, { timeoutMs: 60_000, what: `${runs.length} queued attempts` });
      }
      await startWorker({ redis: redis().url, home: await temp.dir(), name: 'one-at-a-time', agents: 'command', config: workerConfig, cwd, concurrency: 1 });
      const taken: number[] = [];
      for (const { home, running } of runs) {
        const result = await running;
        expect(result.exitCode, result.stderr).toBe(0);
        const report = JSON.parse(result.stdout) as Report;
        const events = JSON.parse((await runOrch(['events', report.run.id, '--json'], { cwd, home })).stdout) as { type: string; at: string }[];
        taken.push(Date.parse(events.find((e) => e.type === 'attempt.worker')?.at ?? ''));
      }
      const [urgentLater, urgentFirst] = [taken[0] ?? NaN, taken[1] ?? NaN];
      expect(urgentFirst).toBeLessThan(urgentLater);
    } finally {
      await queue.close();
    }
  });

  it('stops the agent on its worker when a run whose coordinator was killed -9 is canceled', async () => {
    const agentDir = await temp.dir();
    const started = join(agentDir, 'started');
    const { url, workerConfig } = await project({ hang: true, startedFile: started });
    const cwd = await temp.dir();
    await startWorker({ redis: redis().url, home: await temp.dir(), name: 'w1', agents: 'command', config: workerConfig, cwd });
    const home = await temp.dir();
    const coordinator = spawn(process.execPath, [`${repoRoot}/bin/orch.js`, 'run', 'x', '--repo-url', url, '--redis', redis().url, '--no-tui'], { cwd, env: { ...process.env, ORCH_HOME: home }, stdio: 'ignore' });
    const gone = new Promise((resolve) => coordinator.once('exit', resolve));
    const pid = await waitFor(() => (existsSync(started) ? Number(readFileSync(started, 'utf8')) : undefined), { timeoutMs: 60_000, what: 'the agent to start on the worker' });
    coordinator.kill('SIGKILL');
    await gone;
    expect(isAlive(pid)).toBe(true);

    const store = new Store(orchPaths(home).database);
    try {
      const engine = new Engine({ store, home });
      const [run] = store.runs.list({ limit: 1 });
      expect((await engine.cancel(run?.id ?? '')).status).toBe('canceled');
      await waitFor(() => !isAlive(pid), { timeoutMs: 15_000, what: 'the worker to stop the agent of the canceled run' });
    } finally {
      store.close();
    }
  });
});

