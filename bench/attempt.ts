// One attempt of an instant agent, start to merge: orch from the CLI (wall and CPU) and the engine in-process,
// against a shell script doing the same git work; at 10 and 10,000 files; and git processes per attempt.
import { join } from 'node:path';
import { Engine } from '../src/engine/run/engine.ts';
import { Store } from '../src/store/store.ts';
import { gitCounter, gitEnv, instantAgent, makeRepo, measured, median, orchEntry, report, rounds, scratchDir, sh, spread } from './lib.ts';

function shellAttempt(dir: string, agent: string, i: number): string {
  return `wt=${dir}/wt${i}; git worktree add -q -b shell/${i} "$wt" main; (cd "$wt" && ${agent} && git add -A && git commit -qm attempt);
    git merge-tree --write-tree main shell/${i} >/dev/null; git update-ref refs/heads/main shell/${i}; git worktree remove --force "$wt"`;
}

export async function benchAttempt(files: number, goals: { cli: number; inProcess: number }): Promise<void> {
  const dir = scratchDir(`attempt${files}`);
  const repo = await makeRepo(dir, files);
  const { agent, config } = instantAgent(dir);
  const shell: { wall: number[]; cpu: number[] } = { wall: [], cpu: [] };
  const cli: { wall: number[]; cpu: number[] } = { wall: [], cpu: [] };
  const inProcess: number[] = [];
  const store = new Store(join(dir, 'in-process.db'));
  const engine = new Engine({ store, home: join(dir, 'home-in-process') });
  const env = { ...process.env, ORCH_HOME: join(dir, 'home') };
  for (let i = 0; i < rounds; i++) {
    // Paired: the three in turn, so a burst of load hits all of them alike.
    const s = await measured(['/bin/bash', '-euo', 'pipefail', '-c', shellAttempt(dir, agent, i)], { cwd: repo, env: gitEnv });
    shell.wall.push(s.wallMs);
    shell.cpu.push(s.cpuMs);
    const o = await measured([process.execPath, ...orchEntry, 'run', `bench ${i}`, '--target', 'main', '--config', config, '--no-tui'], { cwd: repo, env });
    cli.wall.push(o.wallMs);
    cli.cpu.push(o.cpuMs);
    const started = performance.now();
    const result = await engine.run({ repoPath: repo, goal: `in-process ${i}`, target: 'main', configPath: config }, new AbortController().signal);
    if (result.run.status !== 'succeeded') throw new Error(`in-process run ended ${result.run.status}: ${result.run.reason ?? ''}`);
    inProcess.push(performance.now() - started);
  }
  store.close();
  console.log(`one attempt of an instant agent, ${files} files (${rounds} rounds: median (min–max))`);
  report('orch run from the CLI, wall', spread(cli.wall), spread(shell.wall), median(cli.wall) / median(shell.wall), goals.cli);
  report('orch run from the CLI, CPU', spread(cli.cpu), spread(shell.cpu), median(cli.cpu) / median(shell.cpu));
  report('the engine in-process, wall', spread(inProcess), spread(shell.wall), median(inProcess) / median(shell.wall), goals.inProcess);
}

export async function benchGitCalls(): Promise<void> {
  const dir = scratchDir('gitcalls');
  const repo = await makeRepo(dir, 10);
  const { agent, config } = instantAgent(dir);
  const counter = gitCounter(dir);
  await sh(shellAttempt(dir, agent, 0), repo, { ...gitEnv, ...counter.env });
  const shellCount = counter.count();
  counter.reset();
  await measured([process.execPath, ...orchEntry, 'run', 'count git', '--target', 'main', '--config', config, '--no-tui'], {
    cwd: repo,
    env: { ...process.env, ...counter.env, ORCH_HOME: join(dir, 'home') },
  });
  const orchCount = counter.count();
  console.log('git processes for one attempt, start to merge');
  report('orch run', `${orchCount}`, `${shellCount} (shell script)`, orchCount / shellCount, (shellCount + 2) / shellCount);
}
