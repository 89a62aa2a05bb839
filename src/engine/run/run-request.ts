// Turning what a user asked for (flags, config, repository state) into a run that can start, or a clear error.
// Everything here is checked before anything is written: bad input changes nothing.
import { resolve } from 'node:path';
import { assertAgentCredentials, assertAgentInstalled } from '../../agents/registry.ts';
import { defaultAgent } from '../../domain/agent-records.ts';
import { parseSelectionOrder } from '../../domain/selection.ts';
import { parseAgentChoices, type AgentChoice, type Strategy } from '../../domain/strategy.ts';
import type { RunSettings } from '../core/settings.ts';
import { loadStrategy, strategySource } from './strategy-loader.ts';
import { validateParams } from './strategy-params.ts';
import type { OrchConfig, SandboxSetting } from '../../domain/config.ts';
import { OrchError, RepositoryError, UsageError } from '../../domain/errors.ts';
import { branchSha, currentBranch, isWorkingTreeClean, openRepository, resolveCommit, worktreeWithBranchCheckedOut, type Repository } from '../../git/index.ts';
import { readFileAt } from '../../git/index.ts';
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
  /** Set for a child run started by an agent's delegate call. */
  parent?: { runId: string; attemptId: string; depth: number } | undefined;
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
  /** Environment for agents beyond the inherited one (the demo's scripted server lives here). */
  agentEnv?: Record<string, string>;
  /** The sandbox for agents and checks, over the config's (`--sandbox`). */
  sandbox?: SandboxSetting;
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
  parent: RunRequest['parent'];
}

const maxGoalBytes = 1024 * 1024;

export async function prepareRun(request: RunRequest, credentials: CredentialPools, projectPaused?: (root: string) => string | null): Promise<PreparedRun> {
  const goal = request.goal.trim();
  if (goal.length === 0) throw new UsageError('The goal is empty.', { hint: 'Say what the agents should do: orch run "fix the failing date test"' });
  if (Buffer.byteLength(goal) > maxGoalBytes) throw new UsageError('The goal is larger than 1 MiB.', { hint: 'Put the details in a file in the repository and refer to it.' });

  const repo = await openRepository(resolve(request.repoPath));
  const configPath = request.configPath === undefined ? null : resolve(request.configPath);
  const config = loadConfig(repo.root, configPath ?? undefined);
  if (request.maxAgents !== undefined && (!Number.isInteger(request.maxAgents) || request.maxAgents < 1)) {
    throw new UsageError(`maxAgents must be a positive whole number, not ${request.maxAgents}.`);
  }
  const paused = projectPaused?.(repo.root) ?? null;
  if (paused !== null) {
    throw new OrchError('project_paused', `This project is paused: ${paused}.`, { hint: 'Look at the failed runs (orch runs), then: orch project unpause' });
  }

  const target = request.target ?? config.target ?? (await currentBranch(repo.root));
  if (target === null) {
    throw new RepositoryError('repository_state', 'HEAD is detached, so orch cannot tell which branch to merge into.', { hint: 'Pass --target <branch>.' });
  }
  const explicitBase = request.base ?? config.base;
  const baseRef = explicitBase ?? target;
  const targetSha = await branchSha(repo, target);
  if (targetSha === null && explicitBase === undefined) {
    throw new RepositoryError('ref_not_found', `The target branch '${target}' does not exist.`, { hint: 'Create it, or pass --base <ref> to start it from there.' });
  }
  // The base is the target's tip unless the user named another (one git process fewer in the usual case).
  const baseSha = explicitBase === undefined && targetSha !== null ? targetSha : await resolveCommit(repo, baseRef);

  const checkedOutIn = await worktreeWithBranchCheckedOut(repo, target);
  if (checkedOutIn !== null && !(await isWorkingTreeClean(checkedOutIn))) {
    throw new RepositoryError('target_dirty', `The target branch '${target}' is checked out in ${checkedOutIn} with local changes.`, {
      hint: 'Commit or stash them first, or pass --target <another-branch>. orch never touches your working tree.',
    });
  }
  await assertRepositoryReady(repo, target, checkedOutIn);

  const chosen: AgentChoice[] = request.agents !== undefined ? parseAgentChoices(request.agents) : [{ agent: request.agent ?? config.agent, model: request.model }];
  if (chosen.length === 0) throw new UsageError('--agents names no agent.', { hint: 'For example: --agents claude:opus,codex' });
  const reviewAgent = config.review.agent ?? chosen[0]?.agent ?? defaultAgent;
  for (const agent of new Set([...chosen.map((a) => a.agent), ...(request.review ?? config.review.enabled ? [reviewAgent] : [])])) {
    assertAgentInstalled(agent, config, repo.root);
  }
  // The run's own choice first, then the agent's configured model, then the global one (only for the run's agent:
  // a model named for all is seldom right for a second agent's CLI). Names were checked just above.
  const agents = chosen.map((a) => ({ agent: a.agent, model: a.model ?? agentModels(config)[a.agent] ?? (request.agents === undefined ? config.model : undefined) }));
  const review = { enabled: request.review ?? config.review.enabled, agent: reviewAgent, model: config.review.model ?? agentModels(config)[reviewAgent] };
  for (const [flag, value] of [['--test-cmd', request.testCmd], ['--lint-cmd', request.lintCmd]] as const) {
    if (value !== undefined && value.trim() === '') {
      throw new UsageError(`${flag} is empty: a check that runs nothing would let anything merge.`, {
        hint: `Give the command (e.g. ${flag} "npm test"), or leave ${flag} out to let orch find the project's own check.`,
      });
    }
  }
  let test = request.testCmd ?? config.checks.test;
  const lint = request.lintCmd ?? config.checks.lint;
  let foundIn: string | undefined;
  if (test === undefined && lint === undefined) {
    const found = await detectProjectCheck((path) => readFileAt(repo, baseSha, path));
    if (found !== undefined) ({ command: test, foundIn } = found);
  }
  if (test !== undefined) assertCheckRunnable('test', test, repo.root);
  if (lint !== undefined) assertCheckRunnable('lint', lint, repo.root);
  // Each adapter adds its own agents.<name>.env; this is what the caller (the demo, a test) adds for all.
  const agentEnv = { ...request.agentEnv };
  for (const agent of new Set(agents.map((a) => a.agent))) {
    credentials.assertUsable(agent);
    if (!credentials.hasKeys(agent)) assertAgentCredentials(agent, config, { ...process.env, ...agentEnv });
  }

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
    parent: request.parent,
    settings: {
      strategySource: source,
      configPath,
      maxAgents: request.maxAgents ?? config.limits.maxAgents,
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
      maxTurns: config.agents.claude.maxTurns,
      review: review.model === undefined ? { enabled: review.enabled, agent: review.agent } : review,
      agentModels: agentModels(config),
      selectionOrder,
      budget: { attemptUsd: request.maxCostUsd ?? config.budget.attemptUsd, runUsd: request.maxRunCostUsd ?? config.budget.runUsd },
      retries: {
        delaysMs: config.retries.delaysSeconds.map((s) => s * 1000),
        cooldownMs: config.retries.cooldownSeconds * 1000,
        maxRateLimitWaitMs: config.retries.maxRateLimitWaitSeconds * 1000,
        stuck: config.retries.stuck,
      },
      delegate: { enabled: request.delegate ?? config.delegate.enabled, maxDepth: config.delegate.maxDepth, depth: request.parent?.depth ?? 0 },
      sandbox,
      delivery: request.delivery ?? { mode: 'merge' },
    },
  };
}
