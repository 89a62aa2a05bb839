// Start-up: `orch --help`, and `orch runs` / `orch show` with 500 runs in the store, each against `node -e 0`
// (the least any Node program costs), CPU time of the whole process; `orch runs` also against `git --version`,
// the first floor. orch is started as users start it: bin/orch.js.
import { join } from 'node:path';
import { Store } from '../src/store/store.ts';
import { cpuPerRun, makeRepo, median, orchEntry, orchIsBuilt, report, rounds, scratchDir, spread } from './lib.ts';

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

const repeats = 10;

export async function benchStartup(): Promise<void> {
  const dir = scratchDir('startup');
  const repo = await makeRepo(dir, 10);
  const home = join(dir, 'home');
  const lastRun = fillStore(home, repo, 500);
  const env = { ...process.env, ORCH_HOME: home };
  const commands: Record<string, string[]> = {
    node: [process.execPath, '-e', '0'],
    git: ['git', '--version'],
    help: [process.execPath, ...orchEntry, '--help'],
    runs: [process.execPath, ...orchEntry, 'runs'],
    show: [process.execPath, ...orchEntry, 'show', lastRun],
  };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let i = 0; i < rounds + 1; i++) {
    for (const [name, argv] of Object.entries(commands)) {
      // git --version takes about a millisecond: more runs, so the 10 ms steps of GNU time do not hide it.
      const cpuMs = await cpuPerRun(argv, { cwd: repo, env, repeats: name === 'git' ? repeats * 10 : repeats });
      if (i >= 1) samples[name]?.push(cpuMs); // the first round warms the file cache and the compile cache
    }
  }
  const of = (name: string) => samples[name] ?? [];
  const node = of('node');
  const floor = `${spread(node, 'ms', 1)} node -e 0`;
  console.log(`start-up, CPU of the whole process (${orchIsBuilt ? 'built' : 'sources via tsx'}; ${rounds} rounds of ${repeats} runs each, after a warm-up round)`);
  report('orch --help', spread(of('help'), 'ms', 1), floor, median(of('help')) / median(node), 1.5);
  report('orch runs (500 runs in the store)', spread(of('runs'), 'ms', 1), floor, median(of('runs')) / median(node), 3);
  report('orch show <run> (500 runs in the store)', spread(of('show'), 'ms', 1), floor, median(of('show')) / median(node), 3);
  report('orch runs, against git --version', spread(of('runs'), 'ms', 1), `${spread(of('git'), 'ms', 1)} git --version`, median(of('runs')) / median(of('git')));
}
