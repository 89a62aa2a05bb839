// `orch run "<goal>"`: one orchestration from the command line, progress on stderr, the result on stdout.
import type { Command } from 'commander';
import { UsageError } from '../../domain/errors.ts';
import type { RunReport } from '../../engine/engine.ts';
import type { RunRequest } from '../../engine/run-request.ts';
import { openContext } from '../context.ts';
import { printErr, printJson, printOut, progressLine } from '../output.ts';
import { interruptOnSignals } from '../signals.ts';

export interface RunFlags {
  agent?: string;
  model?: string;
  base?: string;
  target?: string;
  testCmd?: string;
  lintCmd?: string;
  timeout?: string;
  idleTimeout?: string;
  repo?: string;
  config?: string;
  json?: boolean;
}

export function positiveSeconds(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`${flag} must be a positive number of seconds, not '${value}'.`);
  return seconds;
}

export function runRequestFromFlags(goal: string, flags: RunFlags): RunRequest {
  return {
    repoPath: flags.repo ?? process.cwd(),
    goal,
    agent: flags.agent,
    model: flags.model,
    base: flags.base,
    target: flags.target,
    testCmd: flags.testCmd,
    lintCmd: flags.lintCmd,
    configPath: flags.config,
    timeoutSeconds: positiveSeconds('--timeout', flags.timeout),
    idleTimeoutSeconds: positiveSeconds('--idle-timeout', flags.idleTimeout),
  };
}

/** Run with live progress and Ctrl+C handling; used by `orch run` and `orch demo`. */
export async function runWithProgress(request: RunRequest, quiet: boolean): Promise<RunReport> {
  const context = openContext();
  const unsubscribe = context.store.events.subscribe((event) => {
    const line = quiet ? undefined : progressLine(event);
    if (line !== undefined) printErr(line);
  });
  const interrupt = interruptOnSignals((sig) => printErr(`orch: ${sig} received, stopping agents (again to force)`));
  try {
    return await context.engine.run(request, interrupt.signal);
  } finally {
    interrupt.dispose();
    unsubscribe();
    context.close();
  }
}

export function printReport(report: RunReport, json: boolean): void {
  if (json) {
    printJson(report);
    return;
  }
  const { run } = report;
  printOut(`${run.status === 'succeeded' ? '✔' : '✘'} run ${run.id} ${run.status}: ${run.reason ?? ''}`);
  printOut(`  audit trail: ${report.auditDir}`);
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Run agents on a goal, judge their work with your checks, merge the best.')
    .argument('<goal>', 'what the agents should do')
    .option('--agent <name>', 'agent: claude | command')
    .option('--model <model>', 'model for the agent')
    .option('--base <ref>', 'ref the attempts start from (default: the target)')
    .option('--target <branch>', 'branch to merge into (default: the checked-out branch)')
    .option('--test-cmd <command>', 'test command, run in each attempt worktree')
    .option('--lint-cmd <command>', 'lint command, run in each attempt worktree')
    .option('--timeout <seconds>', 'total time limit per attempt')
    .option('--idle-timeout <seconds>', 'stop an attempt after this long without output')
    .option('--repo <path>', 'the repository (default: the current directory)')
    .option('--config <path>', 'config file (default: <repo>/orch.config.json)')
    .option('--json', 'print one machine-readable result on stdout')
    .action(async (goal: string, flags: RunFlags) => {
      const report = await runWithProgress(runRequestFromFlags(goal, flags), false);
      printReport(report, flags.json === true);
      process.exitCode = report.run.status === 'succeeded' ? 0 : 1;
    });
}
