// What the engine needs from the world, gathered once per run so each piece takes one argument.
import type { Logger } from 'pino';
import type { AgentAdapter } from '../agents/adapter.ts';
import type { OrchConfig } from '../domain/config.ts';
import type { OrchPaths } from '../domain/paths.ts';
import type { Repository } from '../git/index.ts';
import type { Store } from '../store/store.ts';

export interface RunSettings {
  agent: string;
  model: string | undefined;
  checks: { test: OrchConfig['checks']['test']; lint: OrchConfig['checks']['lint']; timeoutMs: number };
  attemptTimeoutMs: number;
  idleTimeoutMs: number;
  keepWorktrees: boolean;
  /** Extra environment for every agent of this run (the demo's scripted server URL and key live here). */
  agentEnv: Record<string, string>;
}

export interface EngineDeps {
  store: Store;
  paths: OrchPaths;
  logger: Logger;
  config: OrchConfig;
  adapterFor(agent: string): AgentAdapter;
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
  signal: AbortSignal;
}
