// `orch doctor`: what this machine gives orch's runs: the sandbox (which mode is active and why) and which agent
// programs are installed (and how to install the rest).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { agentInstallations } from '../../agents/registry.ts';
import { configSchema, type OrchConfig } from '../../domain/config.ts';
import { loadConfig } from '../../engine/run/config-file.ts';
import { describeSandbox } from '../../engine/core/sandbox-choice.ts';
import { openRepository } from '../../git/index.ts';
import { processLimitMethod } from '../../sandbox/index.ts';
import { printJson, printOut } from '../output.ts';
import { sandboxFlag } from './run.ts';

interface DoctorFlags {
  repo?: string;
  config?: string;
  sandbox?: string;
  json?: boolean;
}

async function configFor(flags: DoctorFlags): Promise<{ config: OrchConfig; repo: string | null }> {
  try {
    const repo = await openRepository(resolve(flags.repo ?? process.cwd()));
    return { config: loadConfig(repo.root, flags.config), repo: repo.root };
  } catch (error) {
    // Outside a repository the defaults (or --config) still say what a run would get.
    if (flags.repo !== undefined) throw error;
    return { config: flags.config === undefined ? configSchema.parse({}) : loadConfig(process.cwd(), flags.config), repo: null };
  }
}

const limitWords = {
  cgroup: 'a pids cgroup per sandbox',
  rlimit: 'RLIMIT_NPROC (prlimit) per sandbox',
  none: 'none here (as root, RLIMIT_NPROC does not apply and /sys/fs/cgroup/pids is not writable)',
} as const;

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .option('--repo <path>', 'the repository whose config counts (default: the current directory)')
    .option('--config <path>', 'config file (default: <repo>/orch.config.json)')
    .option('--sandbox <mode>', 'as for orch run: auto | bwrap | none')
    .option('--json', 'print one machine-readable result on stdout')
    .action(async (flags: DoctorFlags) => {
      const { config, repo } = await configFor(flags);
      const report = describeSandbox(config, sandboxFlag(flags.sandbox), processLimitMethod());
      process.exitCode = report.active === 'refused' ? 2 : 0;
      const agents = agentInstallations(config, repo ?? process.cwd());
      if (flags.json === true) return printJson({ repository: repo, sandbox: report, agents });
      printOut(`sandbox: ${report.active} (asked: ${report.requested}, from ${report.source})`);
      printOut(`  why: ${report.why}`);
      for (const [agent, mode] of Object.entries(report.agents)) printOut(`  agent ${agent}: ${mode}`);
      if (report.active === 'bwrap') {
        printOut(`  files: the attempt's worktree and its own branch writable; the checkout, .git config/hooks, ORCH_HOME and HOME hidden or read-only`);
        printOut(`  network (agents): their model API host${report.allowHosts.length > 0 ? ` and ${report.allowHosts.join(', ')}` : ''}; nothing else`);
        printOut(`  network (checks): ${report.checksNetwork ? "the machine's (checks.network)" : 'none'}`);
        printOut(`  processes: at most ${report.processLimit.max} through ${limitWords[report.processLimit.how]}`);
        printOut('  memory: not limited by orch (set a limit on the cgroup orch runs in)');
      }
      printOut(`agents (default: ${config.agent}):`);
      for (const agent of agents) {
        printOut(`  ${agent.agent}: ${agent.path === null ? `'${agent.program}' not installed. ${agent.install}` : agent.path}`);
      }
    });
}
