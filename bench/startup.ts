// Start-up: `orch --help`, and `orch runs` / `orch show` with 500 runs in the store, each against `node -e 0`
// (the least any Node program costs), CPU time of the whole process.
import { join } from 'node:path';
import { Store } from '../src/store/store.ts';
import { makeRepo, measured, median, orchEntry, orchIsBuilt, report, rounds, scratchDir, spread } from './lib.ts';

function fillStore(home: string, projectPath: string, runs: number): string {
  const store = new Store(join(home, 'orch.db'));
  let last = '';
  for (let i = 0; i < runs; i++) {
    last = `run_bench${String(i).padStart(6, '0')}`;
    store.runs.create(
      { id: last, projectPath, goal: `goal ${i}`, strategy: 'single', params: {}, baseRef: 'main', baseSha: '0'.repeat(40), target: 'main', settings: {} },
      process.pid,
    );
    store.runs.transition(last, 'succeeded', { reason: 'done' });
  }
  store.close();
  return last;
}

export async function benchStartup(): Promise<void> {
  const dir = scratchDir('startup');
  const repo = await makeRepo(dir, 10);
  const home = join(dir, 'home');
  const lastRun = fillStore(home, repo, 500);
  const env = { ...process.env, ORCH_HOME: home };
  const samples: Record<string, number[]> = { node: [], help: [], runs: [], show: [] };
  const commands: Record<string, string[]> = {
    node: [process.execPath, '-e', '0'],
    help: [process.execPath, ...orchEntry, '--help'],
    runs: [process.execPath, ...orchEntry, 'runs'],
    show: [process.execPath, ...orchEntry, 'show', lastRun],
  };
  for (let i = 0; i < rounds + 2; i++) {
    for (const [name, argv] of Object.entries(commands)) {
      const result = await measured(argv, { cwd: repo, env });
      if (i >= 2) samples[name]?.push(result.cpuMs); // the first two warm the file cache and the compile cache
    }
  }
  const node = samples['node'] ?? [];
  console.log(`start-up, CPU of the whole process (${orchIsBuilt ? 'built' : 'sources via tsx'}; ${rounds} rounds after 2 warm-ups)`);
  report('orch --help', spread(samples['help'] ?? []), `${spread(node)} node -e 0`, median(samples['help'] ?? []) / median(node), 1.5);
  report('orch runs (500 runs in the store)', spread(samples['runs'] ?? []), `${spread(node)} node -e 0`, median(samples['runs'] ?? []) / median(node), 3);
  report('orch show <run> (500 runs in the store)', spread(samples['show'] ?? []), `${spread(node)} node -e 0`, median(samples['show'] ?? []) / median(node), 3);
}
