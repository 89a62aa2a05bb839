// `scripts/dev bench`: every figure of orch's speed goals, each against its floor measured in the same run.
// Each section runs in a fresh process, so one section's memory or caches do not colour another's.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchAttempt, benchGitCalls } from './attempt.ts';
import { benchBestOf } from './best-of.ts';
import { benchCoordinatorLimits } from './coordinator-limits.ts';
import { benchDistributed } from './distributed.ts';
import { benchInstall } from './install.ts';
import { rounds } from './lib.ts';
import { benchLive } from './live.ts';
import { benchSandbox } from './sandbox.ts';
import { benchStartup } from './startup.ts';

const sections: Record<string, () => Promise<void>> = {
  'attempt-10': () => benchAttempt(10, { cli: 2, inProcess: 1.2 }),
  'attempt-10000': () => benchAttempt(10_000, { cli: 1.1, inProcess: 1.1 }),
  'git-calls': benchGitCalls,
  startup: benchStartup,
  'best-of': benchBestOf,
  live: benchLive,
  sandbox: benchSandbox,
  distributed: benchDistributed,
  'coordinator-limits': benchCoordinatorLimits,
  install: benchInstall,
};

const wanted = process.argv[2];
if (wanted !== undefined) {
  const section = sections[wanted];
  if (section === undefined) throw new Error(`unknown bench section '${wanted}'; one of: ${Object.keys(sections).join(', ')}`);
  await section();
} else {
  console.log(`orch bench: ${rounds} rounds per figure (BENCH_ROUNDS to change), medians with (min–max); ratios against floors measured now`);
  const self = fileURLToPath(import.meta.url);
  for (const name of Object.keys(sections)) {
    const result = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), self, name], { stdio: 'inherit' });
    if (result.status !== 0) console.log(`  (section ${name} failed with exit ${result.status ?? result.signal})`);
  }
}
