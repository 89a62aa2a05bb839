// Turning what a user asked for (flags, config, repository state) into a run that can start, or a clear error.
// Everything here is checked before anything is written: bad input changes nothing.
import { resolve } from 'node:path';
import { assertAgentCredentials, assertAgentInstalled, assertModelEndpointsReachable } from '../../agents/registry.ts';
import { defaultAgent } from '../../domain/agent-records.ts';
import { parseSelectionOrder } from '../../domain/selection.ts';
import { parseAgentChoices, type AgentChoice, type Strategy } from '../../domain/strategy.ts';
import type { ExecutorSetting, RunSettings } from '../core/settings.ts';
import { assertRedisUrl } from '../../distributed/redis-url.ts';
import { mirrorUrl } from '../../remote/mirror.ts';
import { loadStrategy, strategySource } from './strategy-loader.ts';
import { validateParams } from './strategy-params.ts';
import type { OrchConfig, SandboxSetting } from '../../domain/config.ts';
import { OrchError, RepositoryError, UsageError } from '../../domain/errors.ts';
import { findImpossibleText, isInvisibleOnly } from '../../domain/text-checks.ts';
import { durationRange, maxAgentsRange, rangeSchema, runMinutesRange, usdRange } from '../../domain/ranges.ts';
import { branchSha, currentBranch, openRepository, resolveCommit, worktreeWithBranchCheckedOut, type Repository } from '../../git/index.ts';
import { commitReader } from '../../git/index.ts';
import { assertCheckRunnable } from '../../judge/preflight.ts';
import { detectProjectCheck } from '../../judge/detect-checks.ts';
import { loadConfig } from './config-file.ts';
import { assertRepositoryReady } from './preflight.ts';
import type { CredentialPools } from '../core/credential-pools.ts';
import { resolveSandboxSettings } from '../core/sandbox-choice.ts';

export interface RunRequest {
  repoPath: string;
  goal: string;
  /** A built-in strategy's name or the path of a strategy module; default 'single'. */
  strategy?: string;
  params?: Record<string, unknown>;
  agent?: string;
  model?: string;
  /** Several agents, `agent[:model]` each, dealt out round-robin by strategies with several attempts. */
  agents?: string;
  /** Ask the AI reviewer for every judged attempt. */
  review?: boolean;
  /** Selection order, comma-separated criteria (checks,review,score,lines,finish). */
  select?: string;
  maxCostUsd?: number;
  maxRunCostUsd?: number;
  /** Offer agents the delegate tool (overrides the config). */
  delegate?: boolean;
  /** Set for a child run started by an agent's delegate call. Its depth and budget come from the parent's stored
   * row (engine/core/delegate-parent.ts), whatever the caller says. */
  parent?: { runId: string; attemptId: string } | undefined;
  base?: string;
  target?: string;
  testCmd?: string;
  lintCmd?: string;
  /** Merge even with no check and no review (overrides checks.allowUnchecked). */
  allowUnchecked?: boolean;
  timeoutSeconds?: number;
  idleTimeoutSeconds?: number;
  /** The config file to use instead of <repo>/orch.config.json; kept with the run so a resume reads it again. */
  configPath?: string;
  /** Agents of this run working at once (default: the config's limits.maxAgents). */
  maxAgents?: number;
  /** The run's total time limit in minutes (default: the config's limits.maxRunMinutes, none if unset). */
  maxRunMinutes?: number;
  /** Land the run on a new run/<date-time> branch made from the base (default: the config's runBranch). */
  runBranch?: boolean;
  /** Where its agents queue for the process's slots, lower first (the portfolio passes a project's priority). */
  priority?: number;
  /** Environment for agents beyond the inherited one (the demo's scripted server lives here). */
  agentEnv?: Record<string, string>;
  /** The sandbox for agents and checks, over the config's (`--sandbox`). */
  sandbox?: SandboxSetting;
  /** Where attempts run, over the config's (`--executor queue --redis URL`). */
  executor?: ExecutorSetting;
  /** `pr`: the winner is not merged into the target but left on its branch for a pull request (`--deliver pr`). */
  delivery?: { mode: 'merge' | 'pr'; repo?: string; issue?: number };
}

/** Each agent's own model from its config section (agents.<name>.model), for attempts that name an agent only. */
function agentModels(config: OrchConfig): Record<string, string> {
  const models: Record<string, string> = {};
  for (const [agent, section] of Object.entries(config.agents)) if (section?.model !== undefined) models[agent] = section.model;
  return models;
}

export interface PreparedRun {
  repo: Repository;
  config: OrchConfig;
  goal: string;
  strategy: Strategy<unknown>;
  params: Record<string, unknown>;
  baseRef: string;
  baseSha: string;
  target: string;
  settings: RunSettings;
  agentEnv: Record<string, string>;
  parent: (NonNullable<RunRequest['parent']> & { depth: number }) | undefined;
}

const maxGoalBytes = 1024 * 1024;

/** The request's numbers, for callers that did not come through the CLI's flags or the API's schema (delegate, tests). */
const requestRanges = { timeoutSeconds: durationRange, idleTimeoutSeconds: durationRange, maxCostUsd: usdRange, maxRunCostUsd: usdRange, maxAgents: maxAgentsRange } as const;

/** No string of the request may hold what no program can take (NUL, unpaired surrogates): it would be cut or refused later. */
function assertPossibleText(request: RunRequest): void {
  const { agentEnv: _ownEnv, parent: _parent, ...fromUser } = request;
  const found = findImpossibleText(fromUser);
  if (found === undefined) return;
  const [field, ...rest] = found.path;
  throw new UsageError(`The ${String(field)}${rest.length > 0 ? ` (${rest.join('.')})` : ''} holds ${found.problem}, which no command, path or file can carry.`, {
    hint: 'Remove it and try again.',
  });
}

function assertNumbersInRange(request: RunRequest): void {
  for (const [key, range] of Object.entries(requestRanges)) {
    const value = request[key as keyof typeof requestRanges];
    if (value === undefined) continue;
    const parsed = rangeSchema(range).safeParse(value);
    if (!parsed.success) throw new UsageError(`${key} ${parsed.error.issues[0]?.message ?? 'is out of range'}, not ${value}.`);
  }
}

export async function prepareRun(request: RunRequest, credentials: CredentialPools, projectPaused?: (root: string) => string | null): Promise<PreparedRun> {
  assertPossibleText(request);
  const goal = request.goal.trim();
  if (goal.length === 0) throw new UsageError('The goal is empty.', { hint: 'Say what the agents should do: orch run "fix the failing date test"' });
  if (isInvisibleOnly(goal)) {
    throw new UsageError('The goal is empty: it holds only invisible characters (white space, zero-width or direction marks).', {
      hint: 'Say what the agents should do in visible words: orch run "fix the failing date test"',
    });
  }
  if (Buffer.byteLength(goal) > maxGoalBytes) throw new UsageError('The goal is larger than 1 MiB.', { hint: 'Put the details in a file in the repository and refer to it.' });

  assertNumbersInRange(request);
  const repo = await openRepository(resolve(request.repoPath));
  const configPath = request.configPath === undefined ? null : resolve(request.configPath);
  const config = loadConfig(repo.root, configPath ?? undefined);
  if (request.maxRunMinutes !== undefined) {
    const parsed = rangeSchema(runMinutesRange).safeParse(request.maxRunMinutes);
    if (!parsed.success) throw new UsageError(`maxRunMinutes ${parsed.error.issues[0]?.message ?? 'is out of range'}, not ${request.maxRunMinutes}.`);
  }
  const paused = projectPaused?.(repo.root) ?? null;
  if (paused !== null) {
    throw new OrchError('project_paused', `This project is paused: ${paused}.`, { hint: 'Look at the failed runs (orch runs), then: orch project unpause' });
  }

  const userTarget = request.target ?? config.target ?? (await currentBranch(repo.root));
  if (userTarget === null) {
    throw new RepositoryError('repository_state', 'HEAD is detached, so orch cannot tell which branch to merge into.', { hint: 'Pass --target <branch>.' });
  }
  // A run branch: the run lands on a new run/<date-time> branch made from the base; no existing branch moves.
  const useRunBranch = request.runBranch ?? config.runBranch;
  const target = useRunBranch ? runBranchName(new Date()) : userTarget;
  const explicitBase = request.base ?? config.base ?? (useRunBranch ? userTarget : undefined);
  const baseRef = explicitBase ?? target;
  const targetSha = await branchSha(repo, target);
  if (targetSha === null && explicitBase === undefined) {
    throw new RepositoryError('ref_not_found', `The target branch '${target}' does not exist.`, { hint: 'Create it, or pass --base <ref> to start it from there.' });
  }
  // The base is the target's tip unless the user named another (one git process fewer in the usual case).
  const baseSha = explicitBase === undefined && targetSha !== null ? targetSha : await resolveCommit(repo, baseRef);

  // A target checked out with local changes does not stop the run: orch never touches that tree, and the merge
  // leaves the result on orch/<run>/result (saying how to take it) when the tree is still dirty by then.
  const checkedOutIn = await worktreeWithBranchCheckedOut(repo, target);
  await assertRepositoryReady(repo, target, checkedOutIn);

  const chosen: AgentChoice[] = request.agents !== undefined ? parseAgentChoices(request.agents) : [{ agent: request.agent ?? config.agent, model: request.model }];
  if (chosen.length === 0) throw new UsageError('--agents names no agent.', { hint: 'For example: --agents claude:opus,codex' });
  const reviewAgent = config.review.agent ?? chosen[0]?.agent ?? defaultAgent;
  // With the queue executor the attempts' agents run on the workers, which check for them; the reviewer runs here.
  // Flags name the kind and the Redis; the project's priority stays the config's.
  const executor = await executorSetting(request.executor === undefined ? config.executor : { ...config.executor, ...request.executor }, repo);
  const attemptAgents = executor.kind === 'queue' ? [] : chosen.map((a) => a.agent);
  for (const agent of new Set([...attemptAgents, ...(request.review ?? config.review.enabled ? [reviewAgent] : [])])) {
    assertAgentInstalled(agent, config, repo.root);
  }
  // The run's own choice first, then the agent's configured model, then the global one (only for the run's agent:
  // a model named for all is seldom right for a second agent's CLI). Names were checked just above.
  const agents = chosen.map((a) => ({ agent: a.agent, model: a.model ?? agentModels(config)[a.agent] ?? (request.agents === undefined ? config.model : undefined) }));
  const review = { enabled: request.review ?? config.review.enabled, agent: reviewAgent, model: config.review.model ?? agentModels(config)[reviewAgent] };
  for (const [flag, value] of [['--test-cmd', request.testCmd], ['--lint-cmd', request.lintCmd]] as const) {
    if (value !== undefined && isInvisibleOnly(value)) {
      throw new UsageError(`${flag} is empty: a check that runs nothing would let anything merge.`, {
        hint: `Give the command (e.g. ${flag} "npm test"), or leave ${flag} out to let orch find the project's own check.`,
      });
    }
  }
  let test = request.testCmd ?? config.checks.test;
  const lint = request.lintCmd ?? config.checks.lint;
  let foundIn: string | undefined;
  if (test === undefined && lint === undefined) {
    const found = await detectProjectCheck(commitReader(repo, baseSha));
    if (found !== undefined) ({ command: test, foundIn } = found);
  }
  if (test !== undefined) assertCheckRunnable('test', test, repo.root);
  if (lint !== undefined) assertCheckRunnable('lint', lint, repo.root);
  // Each adapter adds its own agents.<name>.env; this is what the caller (the demo, a test) adds for all.
  const agentEnv = { ...request.agentEnv };
  for (const agent of new Set(executor.kind === 'queue' ? [] : agents.map((a) => a.agent))) {
    credentials.assertUsable(agent);
    if (!credentials.hasKeys(agent)) assertAgentCredentials(agent, config, { ...process.env, ...agentEnv });
  }
  // A model API the environment names must answer a connect (keys from credentials.json carry their own URLs).
  const unkeyed = [...new Set([...agents.map((a) => a.agent), ...(review.enabled ? [review.agent] : [])])].filter((agent) => !credentials.hasKeys(agent));
  await Promise.all(unkeyed.map((agent) => assertModelEndpointsReachable(agent, config, { ...process.env, ...agentEnv })));

  // Decided before anything is written: a sandbox the config demands that cannot start refuses the run.
  const sandbox = resolveSandboxSettings(config, [...agents.map((a) => a.agent), review.agent], request.sandbox);

  const source = strategySource(request.strategy ?? 'single', process.cwd());
  const strategy = await loadStrategy(source);
  const params = request.params ?? {};
  validateParams(strategy, params);
  let selectionOrder = config.selection.order;
  if (request.select !== undefined) {
    try {
      selectionOrder = parseSelectionOrder(request.select);
    } catch (error) {
      throw new UsageError(`--select: ${(error as Error).message}.`);
    }
  }

  return {
    repo,
    config,
    goal,
    strategy,
    params,
    baseRef,
    baseSha,
    target,
    agentEnv,
    parent: request.parent === undefined ? undefined : { ...request.parent, depth: 1 },
    settings: {
      strategySource: source,
      configPath,
      maxAgents: request.maxAgents ?? config.limits.maxAgents,
      ...((request.maxRunMinutes ?? config.limits.maxRunMinutes) === undefined ? {} : { maxRunMinutes: request.maxRunMinutes ?? config.limits.maxRunMinutes }),
      agents: agents.map((a) => (a.model === undefined ? { agent: a.agent } : { agent: a.agent, model: a.model })),
      checks: {
        test,
        lint,
        timeoutMs: config.checks.timeoutSeconds * 1000,
        ...(foundIn === undefined ? {} : { foundIn }),
        reruns: config.checks.reruns,
        protect: config.checks.protect,
        reports: config.checks.reports,
        // A delegated child run lands on an orch branch of its parent, whose own judging covers it.
        allowUnchecked: request.allowUnchecked ?? (request.parent !== undefined || config.checks.allowUnchecked),
      },
      attemptTimeoutMs: (request.timeoutSeconds ?? config.timeouts.attemptSeconds) * 1000,
      idleTimeoutMs: (request.idleTimeoutSeconds ?? config.timeouts.idleSeconds) * 1000,
      keepWorktrees: config.keepWorktrees,
      copyFiles: config.worktree.copy,
      maxTurns: config.agents.claude.maxTurns,
      review: review.model === undefined ? { enabled: review.enabled, agent: review.agent } : review,
      ...(config.planner.model === undefined ? {} : { plannerModel: config.planner.model }),
      ...(request.priority === undefined ? {} : { priority: request.priority }),
      agentModels: agentModels(config),
      selectionOrder,
      budget: { attemptUsd: request.maxCostUsd ?? config.budget.attemptUsd, runUsd: request.maxRunCostUsd ?? config.budget.runUsd },
      retries: {
        delaysMs: config.retries.delaysSeconds.map((s) => s * 1000),
        cooldownMs: config.retries.cooldownSeconds * 1000,
        maxRateLimitWaitMs: config.retries.maxRateLimitWaitSeconds * 1000,
        stuck: config.retries.stuck,
      },
      delegate: {
        enabled: request.delegate ?? config.delegate.enabled,
        maxDepth: config.delegate.maxDepth,
        depth: request.parent === undefined ? 0 : 1,
        maxChildUsd: config.delegate.maxChildCostUsd,
      },
      sandbox,
      executor,
      delivery: request.delivery ?? { mode: 'merge' },
    },
  };
}

/** The branch a run with a run branch lands on: run/<UTC date>-<time>, to the millisecond so two runs never share one. */
export function runBranchName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\.(\d{3})Z$/, '$1');
  return `run/${stamp}`;
}

/** The executor a run uses, checked: a queue needs a Redis URL orch can store and a repository workers can fetch. */
async function executorSetting(chosen: ExecutorSetting | OrchConfig['executor'], repo: Repository): Promise<ExecutorSetting> {
  if (chosen.kind === 'local' || chosen.redis === undefined) return { kind: 'local' };
  assertRedisUrl(chosen.redis);
  if ((await mirrorUrl(repo)) === null) {
    throw new UsageError('The queue executor runs attempts on worker machines, which fetch the repository by URL; this run names a local checkout.', {
      hint: 'Give the repository by URL (--repo-url <url>), or drop --executor queue to run the attempts here.',
    });
  }
  return chosen.priority === undefined ? { kind: 'queue', redis: chosen.redis } : { kind: 'queue', redis: chosen.redis, priority: chosen.priority };
}
