// Throughput of the queue executor against the local one, from one run: best-of-50 of an instant agent on a
// repository by URL (a bare remote over file://), once with the local executor (4 agents at once) and once through
// Redis with 4 local `orch worker` processes (one attempt each at a time). What differs is the queue's own cost:
// enqueueing, the workers' fetch and push, the event stream, the coordinator's fetch of each result.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { connectRedis } from '../src/distributed/connection.ts';
import { listWorkers } from '../src/distributed/workers-list.ts';
import { Engine } from '../src/engine/run/engine.ts';
import type { RunRequest } from '../src/engine/run/run-request.ts';
import { syncMirror } from '../src/remote/mirror.ts';
import { Store } from '../src/store/store.ts';
import { startRedis } from '../test/helpers/redis-server.ts';
import { waitFor } from '../test/helpers/wait-for.ts';
import { instantAgent, makeRepo, report, root, scratchDir, sh } from './lib.ts';

const attempts = Number(process.env['BENCH_DISTRIBUTED_N'] ?? 50);
const workers = 4;

async function timedRun(home: string, request: Omit<RunRequest, 'repoPath'>, url: string): Promise<number> {
  const store = new Store(join(home, 'orch.db'));
  const engine = new Engine({ store, home, logger: pino({ level: 'silent' }) });
  try {
    const mirror = await syncMirror(home, url);
    const started = performance.now();
    const result = await engine.run({ ...request, repoPath: mirror.repo.root, target: 'main' });
    const wallMs = performance.now() - started;
    if (result.run.status !== 'succeeded') throw new Error(`the run ended ${result.run.status}: ${result.run.reason ?? ''}`);
    return wallMs;
  } finally {
    store.close();
  }
}

export async function benchDistributed(): Promise<void> {
  const dir = scratchDir('distributed');
  const repo = await makeRepo(dir, 10);
  await sh(`git -C ${repo} switch -q main && git clone -q --bare ${repo} ${dir}/remote.git`, dir);
  const url = `file://${dir}/remote.git`;
  const { config } = instantAgent(dir);
  // The same agent and settings everywhere; no sandbox, so that only the executors differ.
  writeFileSync(config, JSON.stringify({ agent: 'command', agents: { command: { argv: [join(dir, 'instant-agent.sh')] } }, sandbox: { mode: 'none' }, checks: { allowUnchecked: true } }));
  const request = { goal: `best of ${attempts}`, strategy: 'best-of-n', params: { n: attempts }, configPath: config, testCmd: 'true' };

  const localMs = await timedRun(join(dir, 'local-home'), { ...request, maxAgents: workers }, url);

  const redis = await startRedis();
  const children: ChildProcess[] = [];
  try {
    for (let i = 1; i <= workers; i++) {
      const home = join(dir, `worker-${i}`);
      mkdirSync(home, { recursive: true });
      // bin/orch.js: the build when it is fresh, else the sources (a stale dist/ may predate `orch worker`).
      const args = [join(root, 'bin/orch.js'), 'worker', '--redis', redis.url, '--agents', 'command', '--concurrency', '1', '--config', config, '--name', `bench-${i}`];
      children.push(spawn(process.execPath, args, { cwd: dir, env: { ...process.env, ORCH_HOME: home }, stdio: 'ignore' }));
    }
    const client = connectRedis(redis.url);
    await waitFor(async () => (await listWorkers(client)).length === workers, { timeoutMs: 60_000, what: 'the workers to beat' });
    client.disconnect();
    const queueMs = await timedRun(join(dir, 'queue-home'), { ...request, maxAgents: attempts, executor: { kind: 'queue', redis: redis.url } }, url);

    console.log(`best-of-${attempts} of an instant agent on a repository by URL, ${workers} at a time`);
    const rate = (ms: number) => `${((attempts / ms) * 1000).toFixed(1)} attempts/s`;
    report(`local executor, ${workers} agents at once`, `${(localMs / 1000).toFixed(1)} s, ${rate(localMs)}`, '(the floor)', 1);
    report(`queue executor, ${workers} local workers`, `${(queueMs / 1000).toFixed(1)} s, ${rate(queueMs)}`, `${(localMs / 1000).toFixed(1)} s (local)`, queueMs / localMs);
    const perAttempt = localMs / attempts;
    report('queue overhead per attempt', `${((queueMs - localMs) / attempts).toFixed(0)} ms`, `${perAttempt.toFixed(0)} ms (local, per attempt)`, (queueMs - localMs) / attempts / perAttempt);
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await redis.stop();
  }
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) await benchDistributed();
