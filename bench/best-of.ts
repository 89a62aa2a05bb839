// Best-of-n of an instant agent in this process: orch's own CPU per attempt (agents and git are other
// processes), its peak memory, and whether the time grows linearly in n (best-of-25 against best-of-100).
import { join } from 'node:path';
import { Engine } from '../src/engine/run/engine.ts';
import { Store } from '../src/store/store.ts';
import { instantAgent, makeRepo, report, scratchDir } from './lib.ts';

interface BestOf {
  wallMs: number;
  cpuMs: number;
}

async function bestOf(n: number): Promise<BestOf> {
  const dir = scratchDir(`best-of-${n}`);
  const repo = await makeRepo(dir, 10);
  const { config } = instantAgent(dir);
  const store = new Store(join(dir, 'orch.db'));
  const engine = new Engine({ store, home: join(dir, 'home'), maxAgents: 8 });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await engine.run(
    { repoPath: repo, goal: `best of ${n}`, strategy: 'best-of-n', params: { n }, target: 'main', configPath: config, testCmd: 'true' },
    new AbortController().signal,
  );
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  store.close();
  if (result.run.status !== 'succeeded') throw new Error(`best-of-${n} ended ${result.run.status}: ${result.run.reason ?? ''}`);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

export async function benchBestOf(): Promise<void> {
  const small = await bestOf(25);
  const large = await bestOf(100);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log('best-of-n of an instant agent, in-process, 8 agents at once');
  const perAttempt = large.cpuMs / 100;
  report('orch CPU per attempt, best-of-100', `${perAttempt.toFixed(0)} ms`, '200 ms (the goal)', perAttempt / 200, 1);
  report('peak RSS of the process', `${peakRssMb.toFixed(0)} MB`, '150 MB (the goal)', peakRssMb / 150, 1);
  // Linear time: per-attempt wall time of best-of-100 over that of best-of-25 stays near 1.
  report('wall per attempt, n=100 over n=25', `${(large.wallMs / 100).toFixed(0)} ms`, `${(small.wallMs / 25).toFixed(0)} ms (n=25)`, large.wallMs / 100 / (small.wallMs / 25), 1.3);
}
