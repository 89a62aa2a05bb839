// Best-of-n of an instant agent: orch's own CPU per attempt (agents and git are other processes), its peak memory,
// how long its event loop is held up meanwhile, and whether the time grows linearly in n (best-of-25 against
// best-of-100). Each n runs in a process of its own with orch as built (bench/best-of-child.mjs).
import { join } from 'node:path';
import { run } from '../src/process/run.ts';
import { instantAgent, makeRepo, orchIsBuilt, report, root, scratchDir } from './lib.ts';

interface BestOf {
  wallMs: number;
  cpuMs: number;
  loopDelayP99Ms: number;
  peakRssMb: number;
}

async function bestOf(n: number, placement: 'auto' | 'main' = 'auto'): Promise<BestOf> {
  const dir = scratchDir(`best-of-${n}`);
  const repo = await makeRepo(dir, 10);
  const { config } = instantAgent(dir);
  const child = await run([process.execPath, join(root, 'bench/best-of-child.mjs'), repo, config, join(dir, 'home'), String(n), placement], { cwd: dir, env: process.env });
  if (child.exitCode !== 0) throw new Error(`best-of-${n} failed (exit ${child.exitCode}):\n${child.stderr.slice(-2000)}`);
  return JSON.parse(child.stdout.split('\n').at(-1) ?? '') as BestOf;
}

export async function benchBestOf(): Promise<void> {
  if (!orchIsBuilt) {
    console.log('best-of-n: skipped, it runs orch as built (npm run build first)');
    return;
  }
  const small = await bestOf(25);
  const large = await bestOf(100);
  // The same with every child started on orch's own thread: what the spawner thread changes.
  const onMain = await bestOf(100, 'main');
  console.log('best-of-n of an instant agent, the engine as built in a process of its own, 8 agents at once');
  const perAttempt = large.cpuMs / 100;
  report('orch CPU per attempt, best-of-100', `${perAttempt.toFixed(0)} ms`, '200 ms (the goal)', perAttempt / 200, 1);
  report('peak RSS of the process, best-of-100', `${large.peakRssMb.toFixed(0)} MB`, '150 MB (the goal)', large.peakRssMb / 150, 1);
  report('event-loop delay p99 during best-of-100', `${large.loopDelayP99Ms.toFixed(0)} ms`, '100 ms (the live-event goal)', large.loopDelayP99Ms / 100, 1);
  report(
    '  without the spawner thread: loop delay p99',
    `${onMain.loopDelayP99Ms.toFixed(0)} ms (CPU ${(onMain.cpuMs / 100).toFixed(0)} ms, ${onMain.peakRssMb.toFixed(0)} MB)`,
    `${large.loopDelayP99Ms.toFixed(0)} ms with it`,
    onMain.loopDelayP99Ms / large.loopDelayP99Ms,
  );
  // Linear time: per-attempt wall time of best-of-100 over that of best-of-25 stays near 1.
  report('wall per attempt, n=100 over n=25', `${(large.wallMs / 100).toFixed(0)} ms`, `${(small.wallMs / 25).toFixed(0)} ms (n=25)`, large.wallMs / 100 / (small.wallMs / 25), 1.3);
}
