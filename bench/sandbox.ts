// bench/sandbox: what the bwrap sandbox costs an attempt, as a ratio against the same attempt unsandboxed, both
// measured in this one run: a whole run through the engine (instant `command` agent, its check, the merge),
// and the bare start of one process (`true`) with and without the sandbox around it.
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Engine } from '../src/engine/run/engine.ts';
import { run } from '../src/process/run.ts';
import { prepareSandbox, sandboxSupport, type SandboxRequest } from '../src/sandbox/index.ts';
import { Store } from '../src/store/store.ts';

const rounds = Number(process.env['BENCH_ROUNDS'] ?? 7);
// Made when the bench runs, not when bench/run.ts imports this file for another section.
let dir = '';
let repo = '';
let home = '';
const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' };

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const support = sandboxSupport();
  if (!support.available) {
    console.log(`bench/sandbox: skipped, ${support.reason}`);
    return;
  }
  await run(['/bin/sh', '-c', `mkdir -p ${repo} && cd ${repo} && git init -q -b main && echo hi > a.txt && git add -A && git commit -qm init && git switch -q -c user`], { cwd: dir, env: gitEnv });
  const agent = join(dir, 'instant-agent.sh');
  writeFileSync(agent, '#!/bin/sh\necho "done $$" > result.txt\n', { mode: 0o755 });
  const config = join(dir, 'orch.config.json');
  writeFileSync(config, JSON.stringify({ agent: 'command', agents: { command: { argv: [agent] } }, checks: { test: 'test -f result.txt' } }));

  // One bare process, with and without the sandbox (an agent's sandbox: its network bridge and private HOME).
  const bare: number[] = [];
  const boxed: number[] = [];
  const request: SandboxRequest = { mode: 'bwrap', orchHome: home, kind: 'agent', agent: 'claude', network: 'filtered', allowHosts: [], maxProcesses: 1024 };
  for (let i = 0; i < rounds; i++) {
    bare.push(await timed(async () => void (await run(['true'], { cwd: repo }))));
    boxed.push(
      await timed(async () => {
        const command = await prepareSandbox(request, { argv: ['true'], cwd: repo, env: { ...process.env, ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' } });
        const result = await run(command.argv, { cwd: repo, env: command.env });
        await command.close();
        if (result.exitCode !== 0) throw new Error(`sandboxed true failed: ${result.stderr}`);
      }),
    );
  }

  // Whole attempts through the engine: the agent and its check each start in a sandbox, or not.
  const store = new Store(join(dir, 'bench.db'));
  const engine = new Engine({ store, home });
  const plain: number[] = [];
  const sandboxed: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const [sandbox, times] of [['none', plain], ['bwrap', sandboxed]] as const) {
      times.push(
        await timed(async () => {
          const report = await engine.run({ repoPath: repo, goal: `round ${i} ${sandbox}`, target: 'main', configPath: config, sandbox }, new AbortController().signal);
          if (report.run.status !== 'succeeded') throw new Error(`run (${sandbox}) ended ${report.run.status}: ${report.run.reason ?? ''}`);
        }),
      );
    }
  }
  store.close();
  console.log(`bench/sandbox (${rounds} rounds, medians, ${support.bwrap})`);
  console.log(`  start one process:        ${median(bare).toFixed(0)} ms bare, ${median(boxed).toFixed(0)} ms sandboxed (+${(median(boxed) - median(bare)).toFixed(0)} ms)`);
  console.log(`  ratio sandboxed / bare:   ${(median(boxed) / median(bare)).toFixed(2)}x`);
  console.log(`  whole attempt (engine):   ${median(plain).toFixed(0)} ms unsandboxed, ${median(sandboxed).toFixed(0)} ms sandboxed (agent + check)`);
  console.log(`  ratio sandboxed / none:   ${(median(sandboxed) / median(plain)).toFixed(2)}x`);
}

export async function benchSandbox(): Promise<void> {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'orch-bench-sandbox-')));
  repo = join(dir, 'repo');
  home = join(dir, 'home');
  try {
    await main();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run directly (npm run bench:sandbox), or as a section of bench/run.ts.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await benchSandbox();
