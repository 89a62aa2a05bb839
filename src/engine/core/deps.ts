// What the engine needs from the world, gathered once per run so each piece takes one argument.
import type { Logger } from 'pino';
import type { AgentAdapter } from '../../agents/adapter.ts';
import type { OrchConfig } from '../../domain/config.ts';
import type { OrchPaths } from '../../domain/paths.ts';
import type { Executor } from '../../executor/contract.ts';
import type { Repository } from '../../git/index.ts';
import type { AuditTrail } from '../../report/audit.ts';
import type { MergeQueue } from '../../merge/queue.ts';
import type { Store } from '../../store/store.ts';
import type { RunBudget } from './budget.ts';
import type { CredentialPools } from './credential-pools.ts';
import type { AgentSlots } from './limiter.ts';
import type { RunSettings } from './settings.ts';

export interface EngineDeps {
  store: Store;
  paths: OrchPaths;
  logger: Logger;
  config: OrchConfig;
  /** Agent slots of this run: its own limit within the process-wide one (limiter.ts). */
  limiter: AgentSlots;
  /** One merge at a time per target branch, across every run of this process. */
  mergeQueue: MergeQueue;
  credentials: CredentialPools;
  adapterFor(agent: string): AgentAdapter;
  /** Runs attempts (LocalExecutor: on this machine). */
  executor: Executor;
}

export interface RunScope {
  deps: EngineDeps;
  repo: Repository;
  projectSlug: string;
  runId: string;
  goal: string;
  target: string;
  baseSha: string;
  settings: RunSettings;
  /** Environment for every agent of this run beyond the inherited one. Never stored: it may hold secrets. */
  agentEnv: Record<string, string>;
  signal: AbortSignal;
  budget: RunBudget;
  audit: AuditTrail;
  /** Prefix of every step key made in this scope ('' at the top; `task/<key>/` inside a task). */
  keyPrefix: string;
  /** The task attempts of this scope work on ('main' outside plan runs). */
  taskKey: string;
  /** Inside a plan run's task: merges go through the refinery into `target` (with checks after the merge). */
  refinery: boolean;
  /** Steps still working, whatever the strategy awaits: the run does not end before they settle. */
  inflight: Set<Promise<unknown>>;
}

/** What one attempt's recording needs of its run. Narrower than a RunScope so a test, or another coordinator,
 * builds one without a whole run. */
export type AttemptScope = Pick<RunScope, 'runId' | 'signal' | 'budget' | 'repo' | 'agentEnv'> & {
  deps: Pick<EngineDeps, 'store' | 'credentials'>;
  settings: Pick<RunScope['settings'], 'copyFiles'>;
};
