// `orch eval SUITE`: run a suite's tasks across agents × models × strategies × repetitions, each a normal orch run
// in a throwaway clone, judge each with the task's hidden check, and print the table (or --json) and an HTML report.
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../domain/errors.ts';
import { resolveSandboxMode } from '../../engine/core/sandbox-choice.ts';
import { buildCells, listFlag, parseStrategyChoice } from '../../eval/matrix.ts';
import { checkEval, anchorStrategy } from '../../eval/preflight.ts';
import { runEval } from '../../eval/runner.ts';
import { loadSuite } from '../../eval/suite.ts';
import { resultsTable } from '../../eval/table.ts';
import { openContext } from '../context.ts';
import { printErr, printJson, printOut } from '../output.ts';
import { interruptOnSignals } from '../signals.ts';
import { claudeBinary } from './demo.ts';
import { sandboxFlag } from './run.ts';

interface EvalFlags {
  agents: string;
  models?: string;
  strategies: string;
  reps: string;
  tasks?: string;
  maxAgents: string;
  out?: string;
  sandbox?: string;
  json?: boolean;
  review?: boolean;
}

function wholeNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive whole number, not '${value}'.`);
  return n;
}

export function registerEval(program: Command): void {
  program
    .command('eval')
    .argument('<suite>', 'the suite file (JSONC): tasks with a repository, a base, a goal and a hidden check')
    .option('--agents <list>', 'agents to compare, comma-separated', 'claude')
    .option('--models <list>', "models to compare, comma-separated (default: each agent's own)")
    .option('--strategies <list>', 'strategies to compare, comma-separated; parameters after colons: single,best-of-n:n=3', 'single')
    .option('--reps <n>', 'repetitions of every combination', '1')
    .option('--tasks <list>', "only these of the suite's tasks")
    .option('--max-agents <n>', 'agents working at once across all runs of the eval', '4')
    .option('--out <dir>', 'where results, clones and the report go (default: $ORCH_HOME/eval/<suite name>)')
    .option('--review', 'ask the AI reviewer to score every judged attempt, in every run')
    .option('--sandbox <mode>', 'where agents and checks run: auto | bwrap | none (default: the config, auto)')
    .option('--json', 'print the results as JSON on stdout')
    .action(async (suiteFile: string, flags: EvalFlags) => {
      const suite = loadSuite(suiteFile);
      const maxAgents = wholeNumber('--max-agents', flags.maxAgents);
      const cells = buildCells(suite, {
        agents: listFlag('--agents', flags.agents),
        models: flags.models === undefined ? [] : listFlag('--models', flags.models),
        strategies: listFlag('--strategies', flags.strategies).map((text) => anchorStrategy(parseStrategyChoice(text), process.cwd())),
        reps: wholeNumber('--reps', flags.reps),
        tasks: flags.tasks === undefined ? undefined : listFlag('--tasks', flags.tasks),
      });
      const sandbox = sandboxFlag(flags.sandbox);
      await checkEval(suite, cells);
      const context = await openContext({ maxAgents });
      const interrupt = interruptOnSignals((sig) => printErr(`orch eval: ${sig} received, stopping the runs; finished runs are kept (again to force)`));
      try {
        await context.recover();
        const outDir = flags.out === undefined ? join(context.paths.evalRoot, suite.name) : resolve(flags.out);
        if (suite.tasks.some((t) => t.script !== undefined)) {
          printErr('orch eval: this suite uses a SCRIPTED model (a fake model API on 127.0.0.1 answering with fixed scripts).');
          printErr('The agent CLI, git, the checks and the merges are real; the numbers demonstrate orch eval, not a model.\n');
        }
        const outcome = await runEval({
          engine: context.engine,
          suite,
          cells,
          outDir,
          cacheDir: context.paths.evalCache,
          sandbox,
          hiddenSandbox: { mode: resolveSandboxMode(sandbox ?? 'auto', '--sandbox'), orchHome: context.home, kind: 'check', network: 'none', allowHosts: [], maxProcesses: 1024 },
          claudeBinary: claudeBinary(),
          review: flags.review === true,
          signal: interrupt.signal,
          parallel: maxAgents,
          onProgress: printErr,
        });
        if (flags.json === true) {
          printJson({ suite: suite.name, scripted: outcome.scripted, tasksPassingOnBase: outcome.passingBases, outDir, report: outcome.reportPath, ran: outcome.ran, skipped: outcome.skipped, interrupted: outcome.interrupted, configurations: outcome.summaries, cells: outcome.results });
        } else {
          printOut(`orch eval ${suite.name}${outcome.scripted ? ' (SCRIPTED model)' : ''}: ${outcome.results.length} of ${cells.length} runs done (${outcome.ran} now, ${outcome.skipped} before)\n`);
          printOut(resultsTable(outcome.summaries));
          printOut(`\npass: the hidden check passes on what orch landed; pass@k: on at least one attempt.`);
          printOut(`report: ${outcome.reportPath}`);
        }
        process.exitCode = outcome.interrupted ? 130 : 0;
      } finally {
        interrupt.dispose();
        context.close();
      }
    });
}
