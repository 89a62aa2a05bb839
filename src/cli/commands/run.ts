// `orch run "<goal>"` and `orch resume <run>`: an orchestration from the command line, progress on stderr,
// the result on stdout.
import type { Command } from 'commander';
import { agentNames } from '../../domain/agent-records.ts';
import { sandboxModes, type SandboxSetting } from '../../domain/config.ts';
import { UsageError } from '../../domain/errors.ts';
import { auditDir } from '../../domain/paths.ts';
import { durationRange, maxAgentsRange, runMinutesRange, usdRange } from '../../domain/ranges.ts';
import type { AuditedRunReport } from '../../domain/run-report.ts';
import type { Engine } from '../../engine/run/engine.ts';
import type { RunRequest } from '../../engine/run/run-request.ts';
import { parseParamPairs, parseParamsJson } from '../../engine/run/strategy-params.ts';
import type { ExecutorSetting } from '../../engine/core/settings.ts';
import { assertRedisUrl } from '../../distributed/redis-url.ts';
import { openContext } from '../context.ts';
import { numberFlag } from '../number-flag.ts';
import { printErr, printJson, printOut, progressLine } from '../output.ts';
import { interruptOnSignals } from '../signals.ts';
import { prepareRepoUrl } from './remote-run.ts';
import { deliverFlag, feedbackRoundsFlag, finishOnGitHub, goalFor, issueFlag, prepareGitHubRun, startedOnIssue, type GitHubOutcome, type GitHubRun } from './run-github.ts';
import type { Store } from '../../store/store.ts';
import { builtinStrategyNames } from '../../strategies/registry.ts';

export interface RunFlags {
  strategy?: string;
  set: string[];
  params?: string;
  agent?: string;
  agents?: string;
  model?: string;
  review?: boolean;
  delegate?: boolean;
  select?: string;
  base?: string;
  target?: string;
  testCmd?: string;
  lintCmd?: string;
  allowUnchecked?: boolean;
  timeout?: string;
  idleTimeout?: string;
  maxCost?: string;
  maxRunCost?: string;
  maxAgents?: string;
  maxRunMinutes?: string;
  runBranch?: boolean;
  repo?: string;
  repoUrl?: string;
  config?: string;
  sandbox?: string;
  executor?: string;
  redis?: string;
  issue?: string;
  deliver?: string;
  json?: boolean;
  /** false with --no-tui */
  tui: boolean;
}

export function sandboxFlag(value: string | undefined): SandboxSetting | undefined {
  if (value === undefined) return undefined;
  if (!(sandboxModes as readonly string[]).includes(value)) {
    throw new UsageError(`--sandbox must be one of ${sandboxModes.join(', ')}, not '${value}'.`, { hint: 'bwrap confines agents and checks; none runs them with your rights.' });
  }
  return value as SandboxSetting;
}

export function runRequestFromFlags(goal: string, flags: RunFlags): RunRequest {
  return {
    repoPath: flags.repo ?? process.cwd(),
    goal,
    strategy: flags.strategy,
    params: { ...parseParamsJson(flags.params), ...parseParamPairs(flags.set) },
    agent: flags.agent,
    agents: flags.agents,
    model: flags.model,
    review: flags.review,
    delegate: flags.delegate,
    select: flags.select,
    base: flags.base,
    target: flags.target,
    testCmd: flags.testCmd,
    lintCmd: flags.lintCmd,
    ...(flags.allowUnchecked === true ? { allowUnchecked: true } : {}),
    configPath: flags.config,
    timeoutSeconds: numberFlag('--timeout', flags.timeout, durationRange),
    idleTimeoutSeconds: numberFlag('--idle-timeout', flags.idleTimeout, durationRange),
    maxCostUsd: numberFlag('--max-cost', flags.maxCost, usdRange),
    maxRunCostUsd: numberFlag('--max-run-cost', flags.maxRunCost, usdRange),
    maxAgents: numberFlag('--max-agents', flags.maxAgents, maxAgentsRange),
    ...(flags.runBranch === true ? { runBranch: true } : {}),
    maxRunMinutes: numberFlag('--max-run-minutes', flags.maxRunMinutes, runMinutesRange),
    sandbox: sandboxFlag(flags.sandbox),
    executor: executorFlags(flags.executor, flags.redis),
  };
}

/** `--executor local|queue` and `--redis URL` (a Redis URL alone means the queue). */
export function executorFlags(kind: string | undefined, redis: string | undefined): ExecutorSetting | undefined {
  if (kind === undefined && redis === undefined) return undefined;
  if (kind === 'local') {
    if (redis !== undefined) throw new UsageError('--redis is for --executor queue; the local executor runs attempts here.');
    return { kind: 'local' };
  }
  if (kind !== undefined && kind !== 'queue') throw new UsageError(`--executor must be local or queue, not '${kind}'.`, { hint: 'queue runs the attempts on `orch worker` machines through Redis.' });
  const url = redis ?? process.env['ORCH_REDIS_URL'];
  if (url === undefined || url === '') throw new UsageError('--executor queue needs --redis <url> (or ORCH_REDIS_URL).', { hint: 'For example: --redis redis://127.0.0.1:6379' });
  return { kind: 'queue', redis: assertRedisUrl(url) };
}

interface Progress {
  interrupted(signal: NodeJS.Signals): void;
  end(): Promise<void>;
}

const printProgress = (store: Store): (() => void) =>
  store.events.subscribe((event) => {
    const line = progressLine(event);
    if (line !== undefined) printErr(line);
  });

/** The dashboard when stdout and stderr are terminals (and --no-tui is not given), else plain lines on stderr. */
async function startProgress(store: Store, options: { quiet?: boolean; tui?: boolean }): Promise<Progress> {
  const stopping = (sig: NodeJS.Signals) => `orch: ${sig} received, stopping agents (again to force)`;
  if (options.quiet === true) return { interrupted: (sig) => printErr(stopping(sig)), end: () => Promise.resolve() };
  if (options.tui === false || !process.stdout.isTTY || !process.stderr.isTTY) {
    const unsubscribe = printProgress(store);
    return { interrupted: (sig) => printErr(stopping(sig)), end: () => Promise.resolve(unsubscribe()) };
  }
  let unsubscribePlain = () => {};
  // Loaded only for a terminal: the dashboard's libraries (ink, React) cost every other command start-up time.
  const { startLiveDashboard } = await import('../../tui/live.ts');
  const dashboard = startLiveDashboard(store, {
    onLeave: () => {
      printErr('orch: dashboard closed; the run goes on, progress below (Ctrl+C stops it)');
      unsubscribePlain = printProgress(store);
    },
    // Ink reads keys in raw mode, where Ctrl+C is a key, not a signal: make it the signal orch handles.
    onInterrupt: () => process.kill(process.pid, 'SIGINT'),
  });
  return {
    interrupted: (sig) => (dashboard.showing ? dashboard.notice(`${sig} received: stopping the agents… Ctrl+C again to force quit`) : printErr(stopping(sig))),
    async end() {
      await dashboard.end();
      unsubscribePlain();
    },
  };
}

/** Run with live progress and Ctrl+C handling; used by `orch run`, `orch resume` and `orch demo`. */
export async function runWithProgress(
  start: (engine: Engine, signal: AbortSignal) => Promise<AuditedRunReport>,
  options: { quiet?: boolean; tui?: boolean } = {},
): Promise<AuditedRunReport> {
  // No process-wide agent limit: this process works on one run, which keeps its own (limits.maxAgents, --max-agents).
  const context = await openContext();
  await context.recover();
  const progress = await startProgress(context.store, options);
  const interrupt = interruptOnSignals((sig) => progress.interrupted(sig));
  try {
    return await start(context.engine, interrupt.signal);
  } finally {
    // The dashboard comes off before anything else prints (the result, or the error).
    await progress.end();
    interrupt.dispose();
    context.close();
  }
}

export function printReport(report: AuditedRunReport, json: boolean, outcome: GitHubOutcome | null = null): void {
  const delivered = outcome?.pullRequest ?? null;
  const pullRequest = delivered === null ? undefined : { ...delivered, merge: outcome?.merge ?? null, feedbackRounds: outcome?.feedbackRounds ?? 0 };
  if (json) {
    printJson(pullRequest === undefined ? report : { ...report, pullRequest });
    return;
  }
  const { run } = report;
  printOut(`${run.status === 'succeeded' ? '✔' : '✘'} run ${run.id} ${run.status}: ${run.reason ?? ''}`);
  printOut(`  cost: $${run.costUsd.toFixed(4)}   audit trail: ${report.auditDir}`);
  if (report.delivery !== null) printOut(`  ${report.delivery.message}`);
  if (delivered !== null) {
    printOut(delivered.number === null ? `  no pull request: ${delivered.reason}` : `  pull request: ${delivered.url}${delivered.draft ? ' (draft)' : ''}${delivered.updated ? ' (updated)' : ''}`);
  }
  if (outcome?.merge) printOut(`  ${outcome.merge.merged ? 'merged through GitHub' : 'not merged'}: ${outcome.merge.reason}`);
}

/** A resumed run delivers as it was started: its stored delivery settings say how, and to which repository and issue. */
interface StoredDelivery {
  mode: 'merge' | 'pr';
  repo?: string;
  issue?: number;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .argument('[goal]', 'what the agents should do (or --issue N)')
    .option('--strategy <name|path>', `${builtinStrategyNames().join(' | ')}, or your own module`, 'single')
    .option('-S, --set <key=value>', 'a strategy parameter (repeatable), e.g. -S n=5', (value: string, all: string[]) => [...all, value], [])
    .option('--params <json>', 'strategy parameters as a JSON object')
    .option('--agent <name>', `agent: ${agentNames.join(' | ')}`)
    .option('--agents <list>', 'several agents round-robin, agent[:model] comma-separated, e.g. claude:opus,codex')
    .option('--model <model>', 'model for the agent')
    .option('--review', 'ask the AI reviewer to score every judged attempt')
    .option('--delegate', 'offer Claude Code agents a delegate tool that hands sub-goals to orch as child runs')
    .option('--select <order>', 'selection order, e.g. checks,review,score,lines,finish')
    .option('--base <ref>', 'ref the attempts start from (default: the target)')
    .option('--target <branch>', 'branch to merge into (default: the checked-out branch)')
    .option('--test-cmd <command>', 'test command, run in each attempt worktree')
    .option('--lint-cmd <command>', 'lint command, run in each attempt worktree')
    .option('--allow-unchecked', 'merge even when no check runs and no reviewer passes the change (default: it stays on orch/<run>/result)')
    .option('--timeout <seconds>', 'total time limit per attempt')
    .option('--idle-timeout <seconds>', 'stop an attempt after this long without output')
    .option('--max-cost <usd>', 'most one attempt may spend')
    .option('--max-run-cost <usd>', 'most the whole run may spend')
    .option('--run-branch', 'land the run on a new run/<date-time> branch made from the target, so no existing branch moves (config runBranch)')
    .option('--max-run-minutes <n>', "the run's total time limit: past it no new attempt starts, running ones stop (timed_out) and the run ends resumable (default: the config's limits.maxRunMinutes, none)")
    .option('--max-agents <n>', "this run's agents working at once, more wait in a queue (default: the config's limits.maxAgents)")
    .option('--repo <path>', 'the repository (default: the current directory)')
    .option('--repo-url <url>', 'a repository by URL: orch fetches it into a mirror under ORCH_HOME and pushes the result back')
    .option('--config <path>', 'config file (default: <repo>/orch.config.json)')
    .option('--sandbox <mode>', 'where agents and checks run: auto | bwrap | none (default: the config, auto)')
    .option('--executor <kind>', 'where attempts run: local (here) | queue (on `orch worker` machines; needs --repo-url)')
    .option('--redis <url>', 'the Redis of the queue executor (implies --executor queue)')
    .option('--issue <number>', "a GitHub issue as the goal; orch comments on it when the run starts and ends")
    .option('--deliver <mode>', 'merge (into the target) | pr (push a branch, open a pull request); default: the config, merge')
    .option('--feedback-rounds <n>', "with mergeVia github: rounds a review requesting changes or a failing required check may start on the pull request (default: the config's github.feedbackRounds, 2)")
    .option('--json', 'print one machine-readable result on stdout')
    .option('--no-tui', 'plain progress lines on stderr instead of the dashboard')
    .action(async (goal: string | undefined, flags: RunFlags & { feedbackRounds?: string }) => {
      const issue = issueFlag(flags.issue);
      const deliver = deliverFlag(flags.deliver);
      const feedbackRounds = feedbackRoundsFlag(flags.feedbackRounds);
      runRequestFromFlags(goal ?? 'flags check', flags); // Bad flags are refused before GitHub is asked anything.
      // A repository by URL is fetched first: its mirror is the repository the rest reads (config, GitHub remote).
      const remote = flags.repoUrl === undefined ? undefined : await prepareRepoUrl(flags.repoUrl, flags);
      const github = await prepareGitHubRun({ repoPath: remote?.repoPath ?? flags.repo ?? process.cwd(), configPath: flags.config, issue, deliver, feedbackRounds });
      const request: RunRequest = {
        ...runRequestFromFlags(goalFor(goal, github), flags),
        ...(github === null ? {} : { delivery: { mode: github.deliver, repo: github.github.name, ...(issue === undefined ? {} : { issue }) } }),
        ...remote,
      };
      const report = await runWithProgress(
        async (engine, signal) => {
          const handle = await engine.startRun(request, { signal });
          if (github !== null) await startedOnIssue(github, handle.runId, request.strategy ?? 'single');
          return handle.done;
        },
        { tui: flags.tui },
      );
      const outcome = github === null ? null : await finishOnGitHub(github, report, issue);
      printReport(outcome?.report ?? report, flags.json === true, outcome);
      process.exitCode = report.run.status === 'succeeded' && outcome?.merge?.merged !== false ? 0 : 1;
    });

  program
    .command('resume')
    .argument('<run>', 'run id (a unique prefix will do)')
    .option('--json', 'print one machine-readable result on stdout')
    .option('--no-tui', 'plain progress lines on stderr instead of the dashboard')
    .action(async (runId: string, flags: { json?: boolean; tui: boolean }) => {
      // The run's stored settings say how: the same agents, checks, limits and config file as when it started.
      // Filled in inside the callback, where the store is open (an object: TypeScript keeps no narrowing across it).
      const resumed: { github: GitHubRun | null; issue: number | undefined } = { github: null, issue: undefined };
      const report = await runWithProgress(
        async (engine, signal) => {
          const run = engine.store.runs.resolvePrefix(runId);
          const settings = engine.store.runs.settings(run.id) as { delivery?: StoredDelivery; configPath?: string | null };
          const delivery = settings.delivery;
          if (delivery !== undefined && (delivery.mode === 'pr' || delivery.issue !== undefined)) {
            resumed.issue = delivery.issue;
            resumed.github = await prepareGitHubRun({ repoPath: run.projectPath, configPath: settings.configPath ?? undefined, issue: undefined, deliver: delivery.mode, ...(delivery.repo === undefined ? {} : { repoName: delivery.repo }) });
          }
          // A run that ended but whose orch died while delivering its pull request (or before): nothing to run
          // again, only the delivery, which finds the run's pull request by its branch and updates it.
          if (delivery?.mode === 'pr' && resumed.github !== null && (run.status === 'succeeded' || run.status === 'failed')) {
            printErr(`orch: run ${run.id} has ended (${run.status}); delivering its pull request again`);
            return { ...engine.report(run.id), auditDir: auditDir(run.projectPath, run.id) };
          }
          return (await engine.resumeRun(run.id, { signal })).done;
        },
        { tui: flags.tui },
      );
      const outcome = resumed.github === null ? null : await finishOnGitHub(resumed.github, report, resumed.issue);
      printReport(outcome?.report ?? report, flags.json === true, outcome);
      process.exitCode = report.run.status === 'succeeded' && outcome?.merge?.merged !== false ? 0 : 1;
    });
}
