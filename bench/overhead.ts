// bench/overhead: orch's wall time for a whole run with an instant `command` agent, divided by a shell script
// doing the same git work (worktree add, commit, merge, worktree remove). Both are measured in this one run.
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../src/engine/engine.ts';
import { run } from '../src/process/run.ts';
import { Store } from '../src/store/store.ts';

const rounds = Number(process.env['BENCH_ROUNDS'] ?? 7);
const root = fileURLToPath(new URL('..', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');
// The compiled CLI when built (`npm run build`), as users run it; else the sources through tsx.
const built = join(root, 'dist/cli/main.js');
const orchEntry = existsSync(built) ? [built] : ['--import', tsxLoader, join(root, 'src/cli/main.ts')];
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'orch-bench-')));
const repo = join(dir, 'repo');
const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' };

async function sh(script: string, cwd = repo): Promise<void> {
  const result = await run(['/bin/bash', '-euo', 'pipefail', '-c', script], { cwd, env: gitEnv });
  if (result.exitCode !== 0) throw new Error(`${script}\n${result.stderr}`);
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function main(): Promise<void> {
  await sh(`mkdir -p ${repo} && cd ${repo} && git init -q -b main && for i in $(seq 1 200); do echo "line $i" > file$i.txt; done && git add -A && git commit -qm init && git switch -q -c user-branch`, dir);
  const agent = join(dir, 'instant-agent.sh');
  writeFileSync(agent, '#!/bin/sh\necho "done $(date +%s%N)" > result.txt\n', { mode: 0o755 });
  writeFileSync(join(dir, 'orch.config.json'), JSON.stringify({ agent: 'command', agents: { command: { argv: [agent] } } }));

  const shell: number[] = [];
  const orch: number[] = [];
  const inProcess: number[] = [];
  // The same run through the engine in this process: what a long-lived orch (orch serve) pays per run.
  const store = new Store(join(dir, 'in-process.db'));
  const engine = new Engine({ store, home: join(dir, 'home-in-process') });
  for (let i = 0; i < rounds; i++) {
    shell.push(
      await timed(() =>
        sh(`wt=${dir}/wt$i; git worktree add -q -b shell/$i "$wt" main; (cd "$wt" && ${agent} && git add -A && git commit -qm attempt);
            tree=$(git merge-tree --write-tree main shell/$i); git update-ref refs/heads/main shell/$i; git worktree remove --force "$wt"`.replace(/\$i/g, String(i))),
      ),
    );
    orch.push(
      await timed(async () => {
        const result = await run([process.execPath, ...orchEntry, 'run', `bench round ${i}`, '--target', 'main', '--config', join(dir, 'orch.config.json')], {
          cwd: repo,
          env: { ...process.env, ORCH_HOME: join(dir, 'home') },
        });
        if (result.exitCode !== 0) throw new Error(`orch run failed:\n${result.stderr}`);
      }),
    );
    inProcess.push(
      await timed(async () => {
        const report = await engine.run({ repoPath: repo, goal: `in-process round ${i}`, target: 'main', configPath: join(dir, 'orch.config.json') }, new AbortController().signal);
        if (report.run.status !== 'succeeded') throw new Error(`in-process run ended ${report.run.status}: ${report.run.reason ?? ''}`);
      }),
    );
  }
  store.close();
  const ratio = median(orch) / median(shell);
  console.log(`bench/overhead (${rounds} rounds, medians)`);
  console.log(`  shell script, same git work: ${median(shell).toFixed(0)} ms`);
  console.log(`  orch run, instant agent:     ${median(orch).toFixed(0)} ms (${existsSync(built) ? 'built' : 'sources via tsx'}, includes Node start-up)`);
  console.log(`  ratio orch / shell:          ${ratio.toFixed(2)}x`);
  console.log(`  engine in-process:           ${median(inProcess).toFixed(0)} ms (a long-lived orch: no start-up)`);
  console.log(`  ratio in-process / shell:    ${(median(inProcess) / median(shell)).toFixed(2)}x`);
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
